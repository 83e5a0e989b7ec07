// `likvard import csv`: a spreadsheet finance staff keep (the listing register's counts, the
// budget, the provider list) to events, as NDJSON or through the one append path. A sheet
// with a problem imports nothing; every problem is printed with its line and column.
#include <algorithm>
#include <fstream>
#include <iostream>
#include <map>
#include <set>

#include "cli/detail/append_path.hpp"
#include "cli/detail/commands.hpp"
#include "cli/detail/options.hpp"
#include "csv/csv.hpp"

namespace likvard::cli {
namespace {

constexpr const char* import_csv_help =
    R"(Usage: likvard import csv --type listing.recorded|budget.set|party.registered --region R
                          [--scheme S] [--separator ';'|','] [--rejected FILE]
                          [--out FILE | --append [--batch N] [--database-url URL]] FILE.csv

Reads a spreadsheet saved as CSV (UTF-8, with or without a byte order mark; ';' or ','
between fields, taken from the header row unless --separator says) with one row per event
and a header row naming the event's fields: the listing register's monthly counts, the
budget, or the provider list (docs/spreadsheets.md lists the columns of each type).
Amounts and decimals may have a decimal comma or point and spaces between thousands
(1 300 000,50 or 1300000.50); a number with both a comma and a point (1.300,50) is
refused as ambiguous. --scheme is the scheme of rows without a scheme column.

Each row's event id is a UUID version 5 of its content (a party's of the party id alone),
so importing the same sheet twice appends nothing, and a revised budget or listing is a
new event that wins over the old one.

A sheet with any problem imports nothing: every problem is printed on stderr as
  line N, column <header name>: <what is wrong>
and --rejected FILE writes the rows that have one, as they stand, with an added column
"error". Without a problem the events go to stdout as NDJSON (for likvard check, likvard
append or likvard-ingest publish), to --out FILE, or with --append through the same
append path as likvard append (batches of N, default 5000): rows the ledger rejects are
kept in ledger.rejections with their reason, file and line, printed as
  line N: <event_id> <reason_code>: <field>: <what is wrong>
and also written to --rejected FILE. Progress goes to stderr when it is a terminal
(LIKVARD_PROGRESS=always or never decides instead).

The database of --append is --database-url or $LIKVARD_DATABASE_URL, connected as
likvard_app.

Exit codes: 0 every row imported (or already there), 1 a problem in the sheet or a row
rejected (or the database failed), 2 usage error.
)";

struct Request {
    csv::ImportOptions import;
    std::optional<char> separator;
    std::string path;
    std::optional<std::string> out, rejected;
    bool append = false;
    std::int64_t batch_events = append_batch_events_default;
};

bool is_region_code(const std::string& region) {
    const auto dash = region.find('-');
    const auto upper = [](char c) { return c >= 'A' && c <= 'Z'; };
    const auto upper_or_digit = [&](char c) { return upper(c) || (c >= '0' && c <= '9'); };
    if (dash != 2 || region.size() < 4 || region.size() > 6 || !upper(region[0]) || !upper(region[1])) return false;
    return std::all_of(region.begin() + 3, region.end(), upper_or_digit);
}

EventType type_option(const Options& options) {
    const auto text = options.value("--type");
    if (!text) throw UsageError("--type is required: listing.recorded, budget.set or party.registered");
    const auto type = type_from_name(*text);
    if (!type || !csv::importable(*type))
        throw UsageError("--type " + *text +
                         " cannot be imported from a sheet: listing.recorded, budget.set or "
                         "party.registered");
    return *type;
}

Request request_of(const Options& options) {
    Request request;
    request.import.type = type_option(options);
    const auto region = options.value("--region");
    if (!region || !is_region_code(*region)) throw UsageError("--region needs an ISO 3166-2 code like SE-Z");
    request.import.region = *region;
    request.import.scheme = options.value("--scheme");
    if (const auto separator = options.value("--separator")) {
        if (*separator != ";" && *separator != ",") throw UsageError("--separator is ';' or ','");
        request.separator = (*separator)[0];
    }
    if (options.positional().size() != 1) throw UsageError("FILE.csv is required ('-' for stdin)");
    request.path = options.positional()[0];
    request.out = options.value("--out");
    request.rejected = options.value("--rejected");
    request.append = options.flag("--append");
    if (request.append && request.out) throw UsageError("--out and --append exclude each other");
    request.batch_events = options.integer("--batch").value_or(append_batch_events_default);
    if (request.batch_events < 1 || request.batch_events > append_batch_events_max)
        throw UsageError("--batch must be between 1 and " + std::to_string(append_batch_events_max));
    return request;
}

// At most one byte more than a sheet may have, so that the reader can say it is too large.
std::string read_input(const std::string& path) {
    std::ifstream file;
    if (path != "-" && (file.open(path, std::ios::binary), !file)) throw UsageError("cannot open " + path);
    std::istream& in = path == "-" ? std::cin : file;
    std::string bytes;
    char buffer[64 * 1024];
    while (bytes.size() <= csv::file_bytes_max && in.read(buffer, sizeof buffer).gcount() > 0)
        bytes.append(buffer, static_cast<std::size_t>(in.gcount()));
    return bytes;
}

std::string quoted_field(const std::string& text, char separator) {
    if (text.find_first_of(std::string("\"\r\n") + separator) == std::string::npos) return text;
    std::string out = "\"";
    for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

// The rejected rows as they stand, each with its problems in an added column "error"
// (the file is written once there is one).
class RejectedRows {
public:
    RejectedRows(const csv::Table& table, const std::optional<std::string>& path) : table_(table), path_(path) {}
    void add(std::int64_t line, const std::string& error) {
        if (!path_) return;
        if (!file_.is_open()) open();
        const auto row =
            std::find_if(table_.rows.begin(), table_.rows.end(), [&](const auto& r) { return r.line == line; });
        const std::string& text = row == table_.rows.end() ? table_.header_text : row->text;
        std::string fields = text;
        const std::size_t width = row == table_.rows.end() ? table_.header.size() : row->fields.size();
        for (std::size_t i = width; i < table_.header.size(); ++i) fields += table_.separator;
        file_ << fields << table_.separator << quoted_field(error, table_.separator) << '\n';
    }

private:
    void open() {
        file_.open(*path_, std::ios::binary);
        if (!file_) throw std::runtime_error("cannot write " + *path_);
        file_ << table_.header_text << table_.separator << "error\n";
    }

    const csv::Table& table_;
    const std::optional<std::string> path_;
    std::ofstream file_;
};

// The table's own problems and those of its rows' fields and events (rows of a line that
// the table has a problem on are not read further), in line order.
csv::Imported import_all(const csv::TableRead& read, const Request& request) {
    std::set<std::int64_t> bad_lines;
    for (const auto& p : read.problems) bad_lines.insert(p.line);
    csv::Table clean = read.table;
    std::erase_if(clean.rows, [&](const csv::Row& row) { return bad_lines.contains(row.line); });
    Decoder decoder;
    csv::Imported imported = csv::import_table(clean, request.import, decoder);
    if (read.problems.empty()) return imported;
    imported.problems.insert(imported.problems.end(), read.problems.begin(), read.problems.end());
    std::stable_sort(imported.problems.begin(), imported.problems.end(),
                     [](const csv::Problem& a, const csv::Problem& b) { return a.line < b.line; });
    imported.problems_total += read.problems.size();
    if (imported.problems.size() > csv::problems_kept_max) imported.problems.resize(csv::problems_kept_max);
    imported.events.clear();
    return imported;
}

int report_problems(const csv::Table& table, const std::vector<csv::Problem>& problems, std::size_t total,
                    const Request& request) {
    RejectedRows rejected(table, request.rejected);
    std::map<std::int64_t, std::string> by_line;
    for (const auto& p : problems) {
        std::cerr << p.to_string() << '\n';
        std::string& error = by_line[p.line];
        error += (error.empty() ? "" : " | ") + (p.column.empty() ? "" : p.column + ": ") + p.message;
    }
    for (const auto& [line, error] : by_line) rejected.add(line, error);
    if (total > problems.size()) std::cerr << "... and " << total - problems.size() << " more problems\n";
    std::cerr << "likvard import csv: " << total << (total == 1 ? " problem" : " problems") << " in " << request.path
              << "; nothing imported\n";
    return exit_failure;
}

int write_ndjson(const std::vector<csv::ImportedEvent>& events, const Request& request) {
    std::ofstream file;
    if (request.out && (file.open(*request.out, std::ios::binary), !file))
        throw std::runtime_error("cannot write " + *request.out);
    std::ostream& out = request.out ? file : std::cout;
    Progress progress("rows", static_cast<std::int64_t>(events.size()));
    for (const auto& event : events) {
        out << event.json << '\n';
        progress.advance();
    }
    progress.finish();
    if (!out.flush()) throw std::runtime_error("could not write the events");
    std::cerr << "imported " << events.size() << " rows as " << type_name(request.import.type) << " events"
              << (request.out ? " to " + *request.out : std::string()) << '\n';
    return exit_ok;
}

int append_events(const csv::Table& table, const std::vector<csv::ImportedEvent>& events, const Request& request,
                  const Options& options) {
    Store store(database_url(options));
    RejectedRows rejected(table, request.rejected);
    std::size_t next = 0;
    const NextInput input = [&](Incoming& in) {
        if (next == events.size()) return false;
        const auto& event = events[next++];
        in = Incoming{event.json, Source{Source::Kind::file, request.path, event.line}};
        return true;
    };
    Progress progress("rows", static_cast<std::int64_t>(events.size()));
    const AppendTotals totals =
        append_inputs(store, input, request.batch_events, progress, [&](const Incoming& in, const ItemResult& result) {
            std::cout << rejected_line(in.source.line, result) << '\n';
            rejected.add(in.source.line, result.rejection->to_string());
        });
    std::cout << "appended " << totals.appended << ", duplicates " << totals.duplicates << ", rejected "
              << totals.rejected << '\n';
    return totals.rejected == 0 ? exit_ok : exit_failure;
}

}  // namespace

int import_csv(const Args& args) {
    const Options options(
        args, {"--type", "--region", "--scheme", "--separator", "--rejected", "--out", "--batch", "--database-url"},
        {"--append"});
    if (options.help()) return std::cout << import_csv_help, exit_ok;
    const Request request = request_of(options);
    const std::string bytes = read_input(request.path);
    const csv::TableRead read = csv::read_table(bytes, request.separator);
    if (read.table.header.empty()) return report_problems(read.table, read.problems, read.problems.size(), request);
    const csv::Imported imported = import_all(read, request);
    if (imported.problems_total > 0)
        return report_problems(read.table, imported.problems, imported.problems_total, request);
    if (request.append) return append_events(read.table, imported.events, request, options);
    return write_ndjson(imported.events, request);
}

}  // namespace likvard::cli
