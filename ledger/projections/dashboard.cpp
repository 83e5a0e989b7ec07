// The dashboard's reads (projections/dashboard.hpp).
#include "projections/dashboard.hpp"

#include <pqxx/pqxx>

#include "projections/projections.hpp"
#include "store/connection.hpp"

namespace likvard {
namespace {

using Snapshot = pqxx::transaction<pqxx::repeatable_read, pqxx::read_only>;

std::optional<std::string> text_or_none(const pqxx::field& field) {
    if (field.is_null()) return std::nullopt;
    return std::string(field.c_str());
}

std::vector<MonthTotal> month_totals(Snapshot& tx, const std::string& region, const std::string& scheme,
                                     const std::string& from, const std::string& to) {
    const auto rows = tx.exec_params(
        "SELECT to_char(m, 'YYYY-MM') AS period, coalesce(sum(c.cost), 0)::numeric(20,2)::text, "
        "coalesce(sum(c.appropriated), 0)::numeric(20,2)::text, coalesce(sum(c.unfunded), 0)::numeric(20,2)::text "
        "FROM generate_series(to_date($3, 'YYYY-MM'), to_date($4, 'YYYY-MM'), interval '1 month') m "
        "LEFT JOIN projection.commitment_month c ON c.region = $1 AND c.scheme = $2 AND c.period = to_char(m, 'YYYY-MM') "
        "GROUP BY m ORDER BY m",
        region, scheme, from, to);
    std::vector<MonthTotal> out;
    for (const auto& row : rows) out.push_back({row[0].c_str(), row[1].c_str(), row[2].c_str(), row[3].c_str()});
    return out;
}

std::vector<CommitmentMonthRow> commitment_rows(Snapshot& tx, const std::string& region, const std::string& scheme,
                                                const std::string& from, const std::string& to) {
    const auto rows = tx.exec_params(
        "SELECT period, commitment, cost::text, appropriated::text, unfunded::text, fte::text, decision_refs "
        "FROM projection.commitment_month WHERE region = $1 AND scheme = $2 AND period BETWEEN $3 AND $4 "
        "ORDER BY period, commitment",
        region, scheme, from, to);
    std::vector<CommitmentMonthRow> out;
    for (const auto& row : rows)
        out.push_back({row[0].c_str(), row[1].c_str(), row[2].c_str(), row[3].c_str(), row[4].c_str(),
                       text_or_none(row[5]), text_or_none(row[6])});
    return out;
}

std::vector<ReasonCount> rejections_by_reason(Snapshot& tx, const std::string& region, bool unreadable_region,
                                              std::int64_t reasons_max) {
    const auto rows = tx.exec_params(
        "SELECT reason, count(*), to_json(max(received_at)) #>> '{}' FROM ledger.rejections "
        "WHERE CASE WHEN $2 THEN region IS NULL ELSE region = $1 END GROUP BY reason ORDER BY count(*) DESC, reason LIMIT $3",
        region, unreadable_region, reasons_max);
    std::vector<ReasonCount> out;
    for (const auto& row : rows) out.push_back({row[0].c_str(), row[1].as<std::int64_t>(), row[2].c_str()});
    return out;
}

std::vector<OffsetRow> offsets(Snapshot& tx) {
    std::vector<OffsetRow> out;
    for (const auto& row :
         tx.exec("SELECT consumer_group, topic, partition, offset_next, "
                 "extract(epoch FROM now() - updated_at) FROM ledger.consumer_offsets ORDER BY 1, 2, 3"))
        out.push_back({row[0].as<std::string>(), row[1].as<std::string>(), row[2].as<std::int32_t>(),
                       row[3].as<std::int64_t>(), row[4].as<std::string>()});
    return out;
}

}  // namespace

std::optional<CommitmentMonths> commitment_months(Store& store, const std::string& region, const std::string& scheme,
                                                  const std::string& from, const std::string& to) {
    Snapshot tx(store_connection(store));
    if (!projections_built(tx)) return std::nullopt;
    const auto checkpoint = tx.exec_params("SELECT seq FROM projection.checkpoints WHERE region = $1", region);
    return CommitmentMonths{checkpoint.empty() ? 0 : checkpoint[0][0].as<std::int64_t>(),
                            month_totals(tx, region, scheme, from, to), commitment_rows(tx, region, scheme, from, to)};
}

IngestionStatus ingestion_status(Store& store, const std::string& region, std::int64_t reasons_max) {
    Snapshot tx(store_connection(store));
    IngestionStatus out;
    const auto head = tx.exec_params(
        "SELECT seq, encode(hash, 'hex'), to_json(recorded_at) #>> '{}' FROM ledger.events WHERE region = $1 "
        "ORDER BY seq DESC LIMIT 1",
        region);
    if (!head.empty()) {
        out.head_seq = head[0][0].as<std::int64_t>();
        out.head_hash = text_or_none(head[0][1]);
        out.head_recorded_at = text_or_none(head[0][2]);
    }
    out.projections_built = projections_built(tx);
    if (out.projections_built) {
        const auto checkpoint = tx.exec_params(
            "SELECT seq, to_json(updated_at) #>> '{}' FROM projection.checkpoints WHERE region = $1", region);
        if (!checkpoint.empty()) {
            out.projected_seq = checkpoint[0][0].as<std::int64_t>();
            out.projected_at = text_or_none(checkpoint[0][1]);
        }
    }
    out.rejections_by_reason = rejections_by_reason(tx, region, false, reasons_max);
    out.rejections_without_region_by_reason = rejections_by_reason(tx, region, true, reasons_max);
    out.offsets = offsets(tx);
    return out;
}

}  // namespace likvard
