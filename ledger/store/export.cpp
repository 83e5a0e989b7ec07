// The audit export: the postings as an hledger / ledger-cli journal, one transaction per
// event in seq order, dated on the first day of its accounting period (the statements'
// months), with the event id, seq, type, business date and decision reference as tags.
#include <ostream>

#include "store/detail/store_impl.hpp"

namespace likvard {
namespace {

constexpr std::int64_t export_chunk_events = 10'000;

// A tag value ends at a comma or a newline in hledger; keep it on one line.
std::string tag_value(std::string text) {
    for (char& c : text)
        if (c == ',' || c == '\n' || c == '\r') c = ' ';
    return text;
}

void write_chunk(pqxx::work& tx, const std::string& region, std::int64_t from, std::int64_t to, std::ostream& out) {
    const pqxx::result events = tx.exec_params(
        "SELECT seq, event_id::text, type, period, occurred_on::text, decision_ref, source_system, source_reference "
        "FROM ledger.events WHERE region = $1 AND seq > $2 AND seq <= $3 "
        "AND type NOT IN ('party.registered', 'party.retired', 'listing.recorded', 'budget.set', 'period.closed') "
        "ORDER BY seq",
        region, from, to);
    const pqxx::result postings = tx.exec_params(
        "SELECT seq, account, amount FROM ledger.postings WHERE region = $1 AND seq > $2 AND seq <= $3 "
        "ORDER BY seq, line",
        region, from, to);
    std::size_t p = 0;
    for (const auto& e : events) {
        const std::int64_t seq = e[0].as<std::int64_t>();
        out << e[3].as<std::string>() << "-01 " << e[2].as<std::string>() << " " << tag_value(e[6].as<std::string>())
            << " " << tag_value(e[7].as<std::string>()) << "\n    ; event_id:" << e[1].as<std::string>()
            << ", seq:" << seq << ", region:" << region << ", occurred_on:" << e[4].as<std::string>();
        if (!e[5].is_null()) out << ", decision_ref:" << tag_value(e[5].as<std::string>());
        out << "\n";
        while (p < postings.size() && postings[p][0].as<std::int64_t>() < seq) ++p;
        for (; p < postings.size() && postings[p][0].as<std::int64_t>() == seq; ++p)
            out << "    " << postings[p][1].as<std::string>() << "  "
                << Money::from_ore(postings[p][2].as<std::int64_t>()).to_string() << " SEK\n";
        out << "\n";
    }
}

}  // namespace

std::int64_t Store::export_hledger(const std::string& region, std::optional<std::int64_t> as_of_seq, std::ostream& out,
                                   const std::function<void(std::int64_t, std::int64_t)>& on_progress) {
    pqxx::work tx(impl_->connection);
    tx.exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    const Head head = read_head(tx, region, as_of_seq);
    out << "; Likvärd ledger " << region << " as of seq " << head.seq << ", hash " << hash_hex(head.hash)
        << "\n; accounts <party>:<class>:<item>, amounts in SEK (debit positive)\n\n";
    for (std::int64_t from = 0; from < head.seq; from += export_chunk_events) {
        write_chunk(tx, region, from, std::min(head.seq, from + export_chunk_events), out);
        if (on_progress) on_progress(std::min(head.seq, from + export_chunk_events), head.seq);
    }
    return head.seq;
}

}  // namespace likvard
