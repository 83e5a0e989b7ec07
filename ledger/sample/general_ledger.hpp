// The sample year as the region's finance system would export it: an SIE 4E document of
// the same money as generate_sample's events, booked the way a region books it (Region-Bas
// style account numbers, cost centres in dimension 1, projects in dimension 6, the
// counterparty in dimension 21), plus ordinary bookings outside the choice system
// (salaries, rent). Every number and name in it is invented for the sample; the account
// plan, the objects and how each event is booked are in ledger/sample/README.md.
#pragma once

#include <string>
#include <vector>

#include "sample/sample.hpp"
#include "sie/sie.hpp"

namespace likvard {

// Dimensions of the sample's general ledger.
inline constexpr int sample_cost_centre_dimension = 1;    // kostnadsställe: the region's own units
inline constexpr int sample_project_dimension = 6;        // projekt: the special commitments
inline constexpr int sample_counterparty_dimension = 21;  // motpart: the other party of a row

// One object of the sample's general ledger and the party it stands for.
struct SampleObject {
    int dimension = 0;
    std::string id;
    std::string party_id;
    std::string name;  // the party's registered name
    std::string kind;  // as registered: provider, organisation, vendor
    std::string side;
    std::string provider_type;  // empty when not a provider
    std::string area;
};

// The document of the sample year (same spec, same bytes once written). Throws
// std::invalid_argument as generate_sample does.
sie::SieDocument sample_general_ledger(const SampleSpec& spec);

// The objects that stand for parties (cost centres and counterparties), in dimension and id
// order: the content of the sample's party map.
std::vector<SampleObject> sample_party_objects(const SampleSpec& spec);

// Those objects as the party map CSV that `likvard import sie` and `likvard reconcile sie`
// read (docs/reconciling.md, "The party map"): ledger/sample/gl/<region>-parties.csv.
std::string sample_party_map(const SampleSpec& spec);

}  // namespace likvard
