// An in-memory ledger for rule tests: lines go through decode -> admit -> apply,
// exactly as `likvard check` runs them.
#pragma once

#include <gtest/gtest.h>

#include "event_builder.hpp"
#include "rules/rules.hpp"

namespace likvard::test {

struct Outcome {
    std::optional<Reason> reason;  // set when rejected
    bool redelivered = false;
    std::string message;
    std::vector<Posting> postings;
};

class MemoryLedger {
public:
    Outcome add(const std::string& bytes) {
        DecodeResult decoded = decoder_.decode(bytes);
        if (decoded.rejection) return {decoded.rejection->reason, false, decoded.rejection->message, {}};
        const Admission admission = admit(*decoded.event, state_);
        if (const auto* rejection = std::get_if<Rejection>(&admission))
            return {rejection->reason, false, rejection->message, {}};
        if (std::holds_alternative<Redelivery>(admission)) return {std::nullopt, true, {}, {}};
        const auto& postings = std::get<Admitted>(admission).postings;
        state_.apply(*decoded.event, postings);
        return {std::nullopt, false, {}, postings};
    }

    // Adds a line that must be accepted.
    std::vector<Posting> accept(const std::string& bytes) {
        Outcome outcome = add(bytes);
        EXPECT_FALSE(outcome.reason.has_value()) << reason_code(*outcome.reason) << ": " << outcome.message;
        return outcome.postings;
    }

    void register_cast() {
        for (const auto& event : cast()) accept(event);
    }

    void listing(int id, const std::string& provider, std::int64_t listed, const std::string& weighted) {
        accept(test::listing(id, provider, listed, weighted));
    }

    const RegionState& state() const { return state_; }

private:
    Decoder decoder_;
    RegionState state_;
};

inline std::int64_t amount_of(const std::vector<Posting>& postings, const std::string& account) {
    std::int64_t sum = 0;
    for (const auto& p : postings)
        if (p.account() == account) sum += p.amount.ore();
    return sum;
}

}  // namespace likvard::test
