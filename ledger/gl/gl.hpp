// The bridge between the ledger and the region's general ledger (GL) in SIE: the built-in
// account chart that numbers the ledger's accounts, the SIE 4E export of a year of
// postings, and the monthly reconciliation of a GL file against the ledger's postings.
// The chart, the export and the reconciliation are pure; read_ledger_postings is the one
// function that reads the database. See ledger/sie/README.md ("The built-in chart").
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "money/money.hpp"
#include "sie/sie.hpp"
#include "statements/statements.hpp"

namespace likvard {
class Store;
}

namespace likvard::gl {

struct Mapping;   // gl/mapping.hpp
struct PartyMap;  // gl/mapping.hpp

// ---- the built-in chart ------------------------------------------------------------------

// The SIE dimensions the export writes and the reconciliation reads without a mapping.
inline constexpr int party_dimension = 1;    // object = the party_id
inline constexpr int scheme_dimension = 20;  // object = the scheme (20+: free for own use)

// An account of the ledger's chart without its party: `expense` + `compensation.capitation`.
struct ChartAccount {
    std::string account_class;
    std::string item;
    auto operator<=>(const ChartAccount&) const = default;
};

// The four-digit number of a class and item: class digit, family digit, two member digits
// (99: a member the table does not list, e.g. a service of service.purchased).
// nullopt for a class or item family the chart does not know.
std::optional<std::string> chart_number(const ChartAccount& account);
// The class and item a number stands for (item "<family>.*" for member 99); nullopt for a
// number outside the chart.
std::optional<ChartAccount> chart_account(const std::string& number);
// What the chart makes of a ledger account: the account the number of it stands for (the
// same, except that unlisted members become "<family>.*"). nullopt outside the chart.
std::optional<ChartAccount> chart_key(const ChartAccount& account);
// Every listed account of the chart in number order (the table in the README).
std::vector<std::pair<std::string, ChartAccount>> chart_table();

// ---- the ledger's postings ---------------------------------------------------------------

struct LedgerPosting {
    std::int64_t seq = 0;
    int line = 0;
    std::string event_id;
    std::string type;
    std::string scheme;
    std::string period;       // YYYY-MM, the accounting month
    std::string occurred_on;  // YYYY-MM-DD
    std::string party;
    ChartAccount account;
    Money amount;
};

struct LedgerExtract {
    std::string region;
    std::vector<LedgerPosting> postings;             // by seq, line
    std::map<std::string, std::string> party_names;  // party_id -> name, every party of the region
};

// The region's postings whose period lies in [from, to] (YYYY-MM), in one read-only
// snapshot, and the names of its parties. Needs SELECT on ledger.events and ledger.postings
// (likvard_reader). Implemented in store/ (gl_read.cpp), where the SQL lives.
LedgerExtract read_ledger_postings(Store& store, const std::string& region, const std::string& from,
                                   const std::string& to);

// ---- export ------------------------------------------------------------------------------

struct ExportSpec {
    int year = 0;
    sie::Date generated_on;
    std::string program_version;
};

// The SIE 4E document of one year of postings: one verification per event (by seq), rows
// with the party and scheme objects, #KONTO for every account used, #RES and #PSALDO.
// Throws std::invalid_argument naming the account when an account lies outside the chart.
sie::SieDocument export_document(const LedgerExtract& extract, const ExportSpec& spec);

// ---- reconciliation ----------------------------------------------------------------------

// What both sides are summed on.
struct Key {
    std::string scheme;
    std::string month;  // YYYY-MM
    std::string party;
    ChartAccount account;
    auto operator<=>(const Key&) const = default;
};

struct Side {
    Money amount;
    std::vector<std::string> sources;   // GL: "series/number/line N"; ledger: event ids
    std::vector<Money> source_amounts;  // what each source adds to the key, in the order of sources
};

// A source of one side whose amount the other side of the key does not have.
struct Unpaired {
    std::string source;
    Money amount;
};

struct Difference {
    Key key;
    Side gl;
    Side ledger;
    // The sources left when each GL amount is paired with an equal ledger amount: where one
    // verification was changed, the one GL row and the one event it no longer matches.
    std::vector<Unpaired> gl_unpaired, ledger_unpaired;
    Money difference() const { return gl.amount - ledger.amount; }
};

// A GL row in the months that the chart cannot key, listed and left out of the sums.
struct Unkeyed {
    std::size_t line = 0;
    std::string account;
    std::string objects;  // as in the file: {1 "hc-a" 20 "primary_care"}
    Money amount;
    std::string why;     // in English (JSON)
    std::string why_sv;  // in Swedish (the report's other formats in Swedish)
    const std::string& why_in(Language language) const { return language == Language::sv ? why_sv : why; }
};

struct Reconciliation {
    std::string from, to;
    std::size_t keys = 0;                 // keys on either side
    std::vector<Difference> differences;  // in key order
    std::vector<Unkeyed> unkeyed;
    Money gl_total, ledger_total;  // over the keyed rows / postings
    std::size_t gl_rows = 0, ledger_postings = 0;
    // Through a mapping: GL rows it ignores, and ledger postings on accounts no mapping row
    // stands for (e.g. a private provider's income, which is in its books, not the region's).
    bool through_mapping = false;
    std::size_t gl_ignored_rows = 0, ledger_left_out = 0;
    Money gl_ignored_total, ledger_left_out_total;
    bool agrees() const { return differences.empty() && unkeyed.empty(); }
};

// A mapping and its party map (nullptr: none) that key the GL rows instead of the chart.
struct Through {
    const Mapping& mapping;
    const PartyMap* party_map = nullptr;
};

// The GL's booked rows dated in [from, to] keyed by the built-in chart (or `through` a
// mapping: docs/reconciling.md), against the ledger's postings of those months (through a
// mapping, those on the accounts its rows stand for).
Reconciliation reconcile(const sie::SieDocument& gl, const LedgerExtract& ledger, const std::string& from,
                         const std::string& to, const Through* through = nullptr);

// The report to read, its labels and amounts in `language` (1 300 000,00 / 1,300,000.00).
std::string render_markdown(const Reconciliation& r, const std::string& region, Language language);
// The machine CSV: ',', keys as headers, '.' decimals.
std::string render_csv(const Reconciliation& r);
// The CSV for a person's spreadsheet: ';', labels in `language` as headers, amounts without
// grouping and with the language's decimal sign (a comma in Swedish), as the statements'.
std::string render_csv(const Reconciliation& r, Language language);
std::string render_json(const Reconciliation& r, const std::string& region);
// The same as an XLSX workbook: the totals, the keys that differ, the rows not keyed;
// labels in `language`, amounts as numeric cells.
std::string render_xlsx(const Reconciliation& r, const std::string& region, Language language);

// What a person reads in the report, in both languages (labels.cpp).
struct ReconciliationLabel {
    std::string_view key;  // a JSON key, or "title.", "table.", "heading.", "side.", "sentence." and a name
    std::string_view sv;
    std::string_view en;
};
std::span<const ReconciliationLabel> reconciliation_labels();
// The label of a key; throws std::out_of_range for a key the table lacks.
std::string reconciliation_label(std::string_view key, Language language);

// ---- export through a mapping -------------------------------------------------------------

// What one ledger account (party:class:item) was written as: on a GL account through a
// mapping row, or summed onto the balancing account (why: no mapping row stands for it, or
// why the row it would be cannot be written).
struct ExportedLine {
    std::string ledger_account;  // "halsoval-bestallare:expense:compensation.capitation"
    std::string gl_account;
    bool balancing = false;
    std::size_t postings = 0;
    Money amount;
    std::string why;  // balancing: the reason of its first posting
};

struct MappedExport {
    sie::SieDocument document;
    std::vector<ExportedLine> lines;  // by ledger account, then GL account
    std::size_t mapped_postings = 0, balancing_postings = 0;
    Money mapped_total, balancing_total;
};

// Why `account` cannot be the balancing account of an export through `through` (nullopt:
// it can): it must be digits, and the mapping's first row for a row of it without objects
// (in series L and in every series the mapping names) must be an ignore row of either sign,
// so that reconciling the file leaves the balancing rows out (docs/reconciling.md).
std::optional<std::string> balancing_account_problem(const Through& through, const std::string& account);

// The SIE 4E document of one year of postings in the region's own accounts: each posting a
// mapping row stands for (the reverse of the reconciliation's match) on that row's first
// account with the objects it names; the rest of each event's postings summed onto the
// balancing account, so every verification balances. Every posting is in `lines`.
MappedExport export_mapped(const LedgerExtract& extract, const ExportSpec& spec, const Through& through,
                           const std::string& balancing_account);

// The lines as CSV (';', a header row, then the totals): what `export sie --mapping` reports.
std::string export_report_csv(const MappedExport& exported);

}  // namespace likvard::gl
