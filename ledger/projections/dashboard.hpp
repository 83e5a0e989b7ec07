// The dashboard's two reads beside the statements, each one REPEATABLE READ snapshot:
// special commitments per month (projection.commitment_month) and a region's ingestion
// status. Money as the views' exact SEK text.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/reads.hpp"
#include "store/store.hpp"

namespace likvard {

struct MonthTotal {
    std::string period, cost, appropriated, unfunded;
};
struct CommitmentMonthRow {
    std::string period, commitment, cost, appropriated, unfunded;
    std::optional<std::string> fte, decision_refs;
};
struct CommitmentMonths {
    std::int64_t projected_seq = 0;               // the region's checkpoint, 0 without one
    std::vector<MonthTotal> months;               // every month of the range, zeros where nothing was booked
    std::vector<CommitmentMonthRow> commitments;  // by period, then commitment
};
// nullopt when the projections are not built yet.
std::optional<CommitmentMonths> commitment_months(Store& store, const std::string& region, const std::string& scheme,
                                                  const std::string& from, const std::string& to);

struct ReasonCount {
    std::string reason;
    std::int64_t rejections = 0;
    std::string last_received_at;
};
struct IngestionStatus {
    std::int64_t head_seq = 0;  // 0 without events
    std::optional<std::string> head_hash, head_recorded_at;
    bool projections_built = false;
    std::int64_t projected_seq = 0;  // when built: the checkpoint, 0 without one
    std::optional<std::string> projected_at;
    std::vector<ReasonCount> rejections_by_reason;                 // of the region, most first
    std::vector<ReasonCount> rejections_without_region_by_reason;  // whose region could not be read
    std::vector<OffsetRow> offsets;                                // every consumer group's, by group, topic, partition
};
IngestionStatus ingestion_status(Store& store, const std::string& region, std::int64_t reasons_max);

}  // namespace likvard
