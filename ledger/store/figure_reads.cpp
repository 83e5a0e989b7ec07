// The named reads of a figure's drill-down (store/reads.hpp): the postings behind one figure
// of a statement with their events, and the listings behind its denominator.
#include <pqxx/pqxx>

#include "store/connection.hpp"
#include "store/reads.hpp"

namespace likvard {
namespace {

using Snapshot = pqxx::transaction<pqxx::repeatable_read, pqxx::read_only>;

std::optional<std::string> text_or_none(const pqxx::field& field) {
    if (field.is_null()) return std::nullopt;
    return std::string(field.c_str());
}

// {"a","b"}: every element quoted, so that any text (an empty prefix too) passes as itself.
std::string quoted_array(const std::vector<std::string>& items) {
    std::string out = "{";
    for (const auto& item : items) {
        out += out.size() == 1 ? "\"" : ",\"";
        for (const char c : item) {
            if (c == '"' || c == '\\') out += '\\';
            out += c;
        }
        out += '"';
    }
    return out + "}";
}

struct AccountArrays {
    std::string classes, items, prefixes;
};

AccountArrays account_arrays(const std::vector<FigureAccount>& accounts) {
    std::vector<std::string> classes, items, prefixes;
    for (const auto& account : accounts) {
        classes.push_back(account.account_class);
        items.push_back(account.item);
        prefixes.push_back(account.prefix ? "true" : "false");
    }
    return {quoted_array(classes), quoted_array(items), quoted_array(prefixes)};
}

FigurePosting figure_posting_of(const pqxx::row& row) {
    FigurePosting p;
    p.seq = row["seq"].as<std::int64_t>();
    p.line = row["line"].as<std::int64_t>();
    p.event_id = row["event_id"].c_str();
    p.type = row["type"].c_str();
    p.period = row["period"].c_str();
    p.source_system = row["source_system"].c_str();
    p.source_reference = row["source_reference"].c_str();
    p.decision_ref = text_or_none(row["decision_ref"]);
    p.reverses = text_or_none(row["reverses"]);
    p.party = row["party"].c_str();
    p.account_class = row["account_class"].c_str();
    p.item = row["item"].c_str();
    p.amount = row["amount"].as<std::int64_t>();
    return p;
}

}  // namespace

std::vector<FigurePosting> figure_postings(Store& store, const FigurePostingsAsk& ask) {
    std::vector<FigurePosting> out;
    if (ask.accounts.empty()) return out;
    Snapshot tx(store_connection(store));
    const AccountArrays accounts = account_arrays(ask.accounts);
    const auto rows = tx.exec_params(
        "SELECT p.seq, p.line, p.event_id::text AS event_id, e.type, p.period, e.source_system, e.source_reference, "
        "e.decision_ref, e.reverses::text AS reverses, p.party, p.account_class, p.item, p.amount "
        "FROM ledger.postings p JOIN ledger.events e ON e.region = p.region AND e.seq = p.seq "
        "WHERE p.region = $1 AND p.scheme = $2 AND p.seq <= $3 AND p.period BETWEEN $4 AND $5 "
        "AND (cardinality($6::text[]) = 0 OR p.party = ANY($6::text[])) "
        "AND EXISTS (SELECT 1 FROM unnest($7::text[], $8::text[], $9::boolean[]) a(c, i, prefix) "
        "WHERE p.account_class = a.c AND (p.item = a.i OR (a.prefix AND starts_with(p.item, a.i)))) "
        "ORDER BY p.seq, p.line",
        ask.region, ask.scheme, ask.as_of_seq, ask.from, ask.to, quoted_array(ask.parties), accounts.classes,
        accounts.items, accounts.prefixes);
    for (const auto& row : rows) out.push_back(figure_posting_of(row));
    return out;
}

std::vector<FigureListing> figure_listings(Store& store, const FigurePostingsAsk& ask) {
    Snapshot tx(store_connection(store));
    // The last listing recorded per month and provider (the statements' rule).
    const auto rows = tx.exec_params(
        "SELECT DISTINCT ON (period, d->>'provider_id') seq, event_id::text, period, d->>'provider_id', d->>'listed', "
        "d->>'weighted_listed', source_system, source_reference FROM (SELECT seq, event_id, period, source_system, "
        "source_reference, convert_from(canonical, 'UTF8')::jsonb->'data' AS d FROM ledger.events "
        "WHERE region = $1 AND scheme = $2 AND type = 'listing.recorded' AND seq <= $3 AND period BETWEEN $4 AND $5) l "
        "WHERE cardinality($6::text[]) = 0 OR d->>'provider_id' = ANY($6::text[]) "
        "ORDER BY period, d->>'provider_id', seq DESC",
        ask.region, ask.scheme, ask.as_of_seq, ask.from, ask.to, quoted_array(ask.parties));
    std::vector<FigureListing> out;
    for (const auto& row : rows)
        out.push_back({row[0].as<std::int64_t>(), row[1].c_str(), row[2].c_str(), row[3].c_str(), row[4].c_str(),
                       row[5].c_str(), row[6].c_str(), row[7].c_str()});
    return out;
}

std::vector<FigureEvent> figure_events(Store& store, const FigureEventsAsk& ask) {
    std::vector<FigureEvent> out;
    if (ask.seqs.empty() && !ask.decision_ref) return out;
    std::vector<std::string> seqs;
    for (const auto seq : ask.seqs) seqs.push_back(std::to_string(seq));
    Snapshot tx(store_connection(store));
    const auto rows = tx.exec_params(
        "SELECT seq, event_id::text, type, period, source_system, source_reference, decision_ref, reverses::text "
        "FROM ledger.events WHERE region = $1 AND seq <= $2 AND (seq = ANY($3::bigint[]) OR ($8::boolean "
        "AND decision_ref = $4 AND scheme = $5 AND period BETWEEN $6 AND $7 AND type <> 'budget.set')) ORDER BY seq",
        ask.region, ask.as_of_seq, quoted_array(seqs), ask.decision_ref.value_or(""), ask.scheme, ask.from, ask.to,
        ask.decision_ref.has_value());
    for (const auto& row : rows) {
        FigureEvent e;
        e.seq = row[0].as<std::int64_t>();
        e.event_id = row[1].c_str();
        e.type = row[2].c_str();
        e.period = row[3].c_str();
        e.source_system = row[4].c_str();
        e.source_reference = row[5].c_str();
        e.decision_ref = text_or_none(row[6]);
        e.reverses = text_or_none(row[7]);
        out.push_back(std::move(e));
    }
    return out;
}

}  // namespace likvard
