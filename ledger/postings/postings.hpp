// Posting rules: every financial event becomes balanced double-entry postings on accounts
// named <party>:<class>:<item> (the account chart is in docs/statements.md). Debits are positive,
// credits negative; the postings of one event always sum to zero.
#pragma once

#include <string>
#include <vector>

#include "events/events.hpp"
#include "money/money.hpp"

namespace likvard {

struct Posting {
    std::string party;
    std::string account_class;  // income, expense, benefit, settlement
    std::string item;           // e.g. compensation.capitation
    Money amount;

    std::string account() const { return party + ":" + account_class + ":" + item; }
    bool operator==(const Posting&) const = default;
};

// What a posting rule needs beyond the event itself, resolved from the ledger by rules/.
struct DerivationInputs {
    // shared_cost.incurred: the beneficiaries and their allocation weights, by ascending id.
    std::vector<Weight> benefit_weights;
    // entry.reversed: the postings of the reversed event.
    const std::vector<Posting>* reversed_postings = nullptr;
};

// The postings of one event (empty for party, listing and period events).
// Throws std::logic_error if the result does not balance: that is a bug, never input.
std::vector<Posting> derive_postings(const Event& event, const DerivationInputs& inputs);

// Sum of the amounts (zero for a balanced event).
Money postings_sum(const std::vector<Posting>& postings);

}  // namespace likvard
