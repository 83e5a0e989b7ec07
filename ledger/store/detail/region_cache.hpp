// Internal to store/: the writer's view of a region (parties, listings, closed periods),
// kept between batches and brought up to the head inside each batch's transaction, and
// the stored events a batch refers to (its own ids and the events it reverses).
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "rules/rules.hpp"

namespace likvard {

struct CachedRegion {
    RegionState state;                // parties, listings, closed periods (events map: per batch)
    std::int64_t loaded_through = 0;  // the seq this state reflects
};

// Applies the stored party, listing and period events in (loaded_through, head_seq].
void refresh_region(pqxx::work& tx, Decoder& decoder, const std::string& region, std::int64_t head_seq,
                    CachedRegion& cached);

// Puts the stored events with these ids into state.events (content hash, type, reversed,
// and the postings of financial ones) so admit() sees duplicates and reversal targets.
void load_known_events(pqxx::work& tx, const std::string& region, const std::vector<std::string>& event_ids,
                       const std::set<std::string>& reversal_targets, RegionState& state);

// The stored postings of one event, by seq, in line order.
std::vector<Posting> stored_postings(pqxx::work& tx, const std::string& region, std::int64_t seq);

}  // namespace likvard
