// The two statements of docs/statements.md, computed from a slice of the ledger (one region,
// one scheme, a range of months, as of one sequence number) and rendered as JSON, CSV and
// Markdown from one document model. Pure: the slice is read by store/ (read_slice).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "events/events.hpp"
#include "money/money.hpp"

namespace likvard {

// ---- what a statement reads ----
struct SliceParty {
    std::string party_id;
    std::string name;
    Kind kind = Kind::provider;
    Side side = Side::external;
};

struct SlicePosting {
    std::string period;
    std::string party;
    std::string account_class;
    std::string item;
    Money amount;
};

// One side's part of one shared-cost event: what it paid, or the benefit it received
// (both as booked: paid positive, benefit negative).
struct SharedCostPart {
    bool paid = true;  // expense:shared_cost (paid) or benefit:shared_cost (received)
    Side side = Side::external;
    Money amount;
};

// Cross-subsidies through shared costs (docs/statements.md, table cross_subsidies), attributed per event:
// the benefit of one side times the other side's share of what the event cost, rounded
// half away from zero per event, then summed. In öre.
struct CrossSubsidy {
    __int128 region_run_to_private = 0;
    __int128 private_to_region_run = 0;
    __int128 paid_region_run = 0;
    __int128 paid_private = 0;
    CrossSubsidy& operator+=(const CrossSubsidy& other);
};

// One shared-cost event's contribution, from its parts; nullopt when the event cost
// nothing (its paid parts sum to zero), which then names no service in the statement.
std::optional<CrossSubsidy> cross_subsidy_of_event(const std::vector<SharedCostPart>& parts);

// The same event's parts with the benefit split by `weights` (largest remainder, ties by
// ascending party_id, as the posting rule splits it) over the providers they name, each
// counted on its side in `parties`; nullopt when the weights sum to zero.
std::optional<std::vector<SharedCostPart>> parts_with_benefit_by(const std::vector<SharedCostPart>& parts,
                                                                 const std::vector<Weight>& weights,
                                                                 const std::map<std::string, SliceParty>& parties);

// One shared-cost event of the range, or a reversal of one, with the allocation key of its
// invoice and what each side paid and received as booked (a reversal's negated), for the
// allocation keys (docs/statements.md, table allocation_keys).
struct SharedCostInvoice {
    std::int64_t seq = 0;
    std::string service;
    std::string invoice_period;  // the month its benefit was allocated in (the reversed invoice's)
    bool reversal = false;
    std::optional<std::string> decision_ref;  // the invoice's
    Allocation allocation;                    // the invoice's key, beneficiaries, basis, estimate
    std::vector<SharedCostPart> parts;        // as booked (shared_cost_parts)
    // Estimated keys only: every provider's weighted listing in invoice_period as of the
    // slice's position (scaled by 10,000), by ascending party_id.
    std::vector<Weight> weighted_listed;
    // Several invoices of one service, allocation key and decision reference, summed as the
    // table allocation_keys sums them (the projections read invoices so unless the key is an
    // estimate, which is recomputed per invoice): their number, what was paid, and each
    // invoice's booked cross-subsidy summed. Then `parts` is empty and `seq` the first one's.
    struct Summed {
        std::int64_t events = 0;
        __int128 paid = 0;
        CrossSubsidy booked;
    };
    std::optional<Summed> summed;
};

struct SliceEvent {
    std::int64_t seq = 0;
    EventType type = EventType::period_closed;
    std::string period;
    std::optional<std::string> decision_ref;
    std::optional<std::string> commitment;  // commitment.cost_incurred, or a reversal of one
    std::optional<Decimal4> fte;
    bool reverses_commitment = false;  // a reversal: its fte counts negatively
};

// One budget of the months (budget.set, the last per key as of the slice's position): for one
// party or for a whole side, of one line (a money column, or "commitment:<value>").
struct SliceBudget {
    std::string period;
    std::optional<std::string> party_id;  // exactly one of party_id and side
    std::optional<Side> side;
    std::string line;
    Money amount;
};

struct LedgerSlice {
    std::string region;
    std::string scheme;
    std::string from;  // YYYY-MM
    std::string to;    // YYYY-MM
    std::int64_t as_of_seq = 0;
    std::string as_of_hash;  // hex
    // The moment asked (--as-of-time), in UTC, that as_of_seq was resolved from; the
    // provenance names it only when asked, so other statements keep their bytes.
    std::optional<std::string> as_of_time = std::nullopt;
    std::map<std::string, SliceParty> parties;
    // (period, provider) -> the last listing recorded up to as_of_seq.
    std::map<std::pair<std::string, std::string>, std::pair<std::int64_t, Decimal4>> listings;
    std::int64_t events_counted = 0;                      // events of the region and scheme in range
    std::vector<std::string> decision_refs;               // distinct, sorted, of those events
    std::vector<SliceEvent> commitment_events;            // commitment costs and their reversals (for fte)
    std::vector<SlicePosting> postings;                   // the counted events' postings, per party and account
    std::map<std::string, CrossSubsidy> cross_subsidies;  // per service, summed over events
    std::vector<SharedCostInvoice> shared_cost_invoices;  // in seq order
    std::vector<SliceBudget> budgets;                     // the months' budgets: not events counted, no postings
};

// What of a slice a statement reads beyond the postings, parties, listings and counts:
// the neutrality statement the cross-subsidies, the commitment statement the commitment
// events (for their fte), both the shared-cost invoices (for the allocation keys). A slice
// read for one statement leaves the other's part empty.
struct SliceParts {
    bool commitment_events = true;
    bool cross_subsidies = true;
    bool shared_cost_invoices = true;
};
SliceParts slice_parts_for(const std::string& statement);  // "neutrality" or "commitments"

// The months from..to inclusive ("2022-01".."2022-12"); empty if to < from.
std::vector<std::string> months_between(const std::string& from, const std::string& to);

// ---- what a statement is: provenance, tables and a summary, all as text ----
struct Table {
    std::string name;
    std::vector<std::string> columns;
    std::vector<std::vector<std::optional<std::string>>> rows;  // nullopt = blank
};

struct Document {
    std::string statement;  // "neutrality" or "commitments"
    std::vector<std::pair<std::string, std::string>> provenance;
    std::vector<std::string> decision_refs;
    std::vector<Table> tables;
    std::vector<std::pair<std::string, std::string>> summary;
    std::string content_hash;  // SHA-256 of the canonical JSON body (set by finish())
};

Document neutrality_statement(const LedgerSlice& slice, const std::string& generator);
Document commitment_statement(const LedgerSlice& slice, const std::string& generator);

// ---- D. tertials and the previous-year comparison (docs/statements.md) ----
// A tertial "2022-T2": its cumulative months (from January: 2022-01..2022-08, as the interim
// reports and the annual report are) and its own months (2022-05..2022-08).
struct Tertial {
    std::string code;              // "2022-T2"
    int number = 0;                // 1, 2 or 3
    std::string from, to;          // cumulative: YYYY-01 .. the tertial's last month
    std::string own_from, own_to;  // the tertial's own four months
};
std::optional<Tertial> tertial_of(std::string_view text);  // nullopt: not YYYY-T1, YYYY-T2 or YYYY-T3
// The same month one year earlier ("2022-05" -> "2021-05"); the same tertial ("2022-T2" -> "2021-T2").
std::string month_year_earlier(const std::string& month);
std::string tertial_year_earlier(const std::string& tertial);

// Adds to `document` (the cumulative statement of the tertial's months) the statement of the
// tertial's own months, `own`, as of the same position: its tables as <table>_tertial_months
// and its summary as the table summary_tertial_months, and says so in the provenance. Reseals.
void add_tertial_months(Document& document, const Tertial& tertial, const Document& own);
// Adds to `document` the same statement for the same months one year earlier, `previous`, as
// of the same position: per money and per-capita figure, tables comparison_<table> with
// current, previous, change and change_percent (of the previous figure; blank where it is 0),
// and the provenance of the comparison. Where the earlier months have no events, no figures
// but a summary entry saying so. Reseals.
void add_previous_year(Document& document, const Document& previous);
// G. One scheme of one region's months (a year): the slice and the two statements computed from it.
struct SchemeStatements {
    LedgerSlice slice;
    Document neutrality;
    Document commitments;
};
// The region summary: one row per scheme (all of one region, read at one position), the
// figures of each scheme's statements; throws std::invalid_argument when they are not.
Document region_summary(const std::vector<SchemeStatements>& schemes, const std::string& generator);
// The comparison of regions: per region and side the figures per weighted listed, per region
// the gap, the special commitments and the shared costs carried for others, and each
// region's position (its own chain). All of one scheme and the same months.
Document regions_comparison(const std::vector<SchemeStatements>& regions, const std::string& generator);

// ---- renderers: one per format, shared by the CLI and the HTTP API ----
// JSON and the machine CSV speak in keys with '.' decimals; Markdown, XLSX and the CSV
// for a person's spreadsheet speak Swedish (the default) or English (labels.cpp).
enum class Language { sv, en };
std::optional<Language> language_of(std::string_view code);  // "sv" or "en"

std::string render_json(const Document& document);  // canonical, with content_hash
std::string render_markdown(const Document& document, Language language = Language::sv);
std::string render_csv(const Table& table);  // the machine CSV: ';'-separated, keys as headers, '.' decimals
// The tables of the CSV form, one file each: provenance (with decision_refs and
// content_hash), the statement's own tables, summary.
std::vector<Table> csv_tables(const Document& document);
// One table of csv_tables() for a person's spreadsheet: ';'-separated, headers and codes as
// labels in `language`, figures without grouping and with the language's decimal sign
// (a comma in Swedish, so Swedish Excel reads them as numbers); nullopt: no such table.
std::optional<std::string> render_csv(const Document& document, const std::string& table, Language language);
// Workbook bytes: figures as numeric cells with a number format, labels in `language`.
std::string render_xlsx(const Document& document, Language language = Language::sv);

// The report a board is given: an A4 HTML document (title, provenance, the summary in words,
// charts as inline SVG, every table, estimates marked, the decisions), without script or
// network; the same document gives the same bytes. Figures in the language's number format.
std::string render_html(const Document& document, Language language = Language::sv);

// The same report as PDF, printed by headless Chromium (pdf.cpp): `chromium` is the program
// (a name looked up in PATH, or a path), run with a temporary profile, no network and a
// time limit. A missing program, a failure or the time running out is an error naming it.
constexpr std::int64_t pdf_print_timeout_ms_default = 60'000;
struct PdfPrinter {
    std::string chromium = "chromium";
    std::int64_t timeout_ms = pdf_print_timeout_ms_default;
};
PdfPrinter pdf_printer_from_environment();  // $LIKVARD_CHROMIUM names another program
struct PdfResult {
    std::optional<std::string> pdf;  // the PDF's bytes, or nullopt and
    std::string error;               // why not
};
PdfResult print_pdf(const std::string& html, const PdfPrinter& printer);

// ---- what a person reads: one table of labels (labels.cpp) ----
struct Label {
    std::string_view key;  // a JSON key, or "statement.", "table.", "value.", "sentence.", "note." and a name
    std::string_view sv;
    std::string_view en;
};
std::span<const Label> statement_labels();
// The label of a key (the commitments' "cost_YYYY-MM" included); nullopt when there is none.
std::optional<std::string> label_of(std::string_view key, Language language);
// The summary's neutrality gap ("-14.51") as a sentence in `language`.
std::string gap_in_words(std::string_view gap_figure, Language language, const NumberFormat& format);

// Formatting used in statements: "123.40"; per-capita values rounded half away from zero.
std::string format_scaled(__int128 value, int decimals);

}  // namespace likvard
