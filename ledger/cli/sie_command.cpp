// `likvard sie check FILE`: what an SIE file from the region's finance system holds and
// what is wrong with it, before it is imported or reconciled. Reads only the file.
#include <iostream>

#include <boost/json.hpp>

#include "cli/detail/options.hpp"
#include "sie/sie.hpp"

namespace likvard::cli {
namespace {

constexpr const char* sie_help = R"(Usage: likvard sie check FILE [--format text|json] [--encoding cp437|latin1|utf-8]

Reads an SIE file (type 1-4, 4E or 4I: what Swedish finance systems such as Raindance,
Unit4 and Visma export) as the SIE specification, edition 4B, says, and tells what it
holds and what is wrong with it. Run it on a file before importing or reconciling it.
Nothing is written.

What it checks: the character set (#FORMAT PC8 means CP437, also the default; UTF-8 and
ISO-8859-1 are read when the file says so or --encoding asks), every record's fields
(dates, amounts with at most two decimals, account numbers, object lists such as
{1 "2150"}), that the rows of every verification (#VER) sum to zero, added and removed
rows (#RTRANS, #BTRANS), the checksum (#KSUMMA) when the file has one, and the limits
(256 MiB a file, 64 KiB a line, 32 objects a row). Records it does not know are skipped
and counted, as the specification says.

--format text   (the default) a summary, then one line per problem:
                  line N: #RECORD: what is wrong
--format json   one JSON object: sietyp, program, orgnr, fnamn, encoding, fiscal_years,
                accounts, dimensions, objects, verifications, transactions (the #TRANS
                rows in them), added_rows, removed_rows, unbalanced_verifications,
                trans_sum_by_account ({"1910": "-1234.50"}: every row summed per account,
                exact to the öre), checksum, unknown_records, problems (line, record,
                message), problems_total, notes
--encoding E    read the file as cp437, latin1 or utf-8, whatever #FORMAT says

Exit codes: 0 no problem, 1 at least one problem (an unbalanced verification is one),
2 usage error (also a file that cannot be read).
)";

struct Figures {
    std::size_t booked = 0;
    std::size_t added = 0;
    std::size_t removed = 0;
    std::size_t unbalanced = 0;
};

Figures figures_of(const sie::SieDocument& document) {
    Figures figures;
    for (const auto& verification : document.verifications)
        for (const auto& row : verification.rows) {
            figures.booked += row.booked();
            figures.added += row.kind == sie::RowKind::added;
            figures.removed += row.kind == sie::RowKind::removed;
        }
    figures.unbalanced = sie::unbalanced_verifications(document).size();
    return figures;
}

boost::json::array problems_json(const std::vector<sie::Problem>& problems) {
    boost::json::array array;
    for (const auto& problem : problems)
        array.push_back({{"line", problem.line}, {"record", problem.record}, {"message", problem.message}});
    return array;
}

boost::json::object json_of(const sie::ReadResult& read) {
    const sie::SieDocument& d = read.document;
    const Figures figures = figures_of(d);
    boost::json::array years;
    for (const auto& year : d.rar)
        years.push_back({{"index", year.index}, {"start", year.start.iso()}, {"end", year.end.iso()}});
    boost::json::object sums;
    for (const auto& [account, sum] : sie::booked_sum_by_account(d)) sums[account] = sum.to_string();
    boost::json::object unknown;
    for (const auto& [label, count] : read.unknown_records) unknown[label] = count;
    return {
        {"sietyp", d.sie_type()},
        {"program", d.program},
        {"program_version", d.program_version},
        {"orgnr", d.orgnr},
        {"fnamn", d.fnamn},
        {"encoding", sie::encoding_name(read.encoding)},
        {"fiscal_years", years},
        {"accounts", d.accounts.size()},
        {"dimensions", d.dimensions.size()},
        {"objects", d.objects.size()},
        {"verifications", d.verifications.size()},
        {"transactions", figures.booked},
        {"added_rows", figures.added},
        {"removed_rows", figures.removed},
        {"unbalanced_verifications", figures.unbalanced},
        {"trans_sum_by_account", sums},
        {"checksum", sie::checksum_name(read.checksum)},
        {"unknown_records", unknown},
        {"problems", problems_json(read.problems)},
        {"problems_total", read.problems_total},
        {"notes", problems_json(read.notes)},
    };
}

void print_problem_lines(const std::vector<sie::Problem>& problems) {
    for (const auto& problem : problems) {
        std::cout << "  line " << problem.line << ": ";
        if (!problem.record.empty()) std::cout << problem.record << ": ";
        std::cout << problem.message << "\n";
    }
}

void print_summary(const std::string& path, const sie::ReadResult& read) {
    const sie::SieDocument& d = read.document;
    const Figures figures = figures_of(d);
    std::cout << path << ": SIE type " << d.sie_type() << " from \"" << d.program << "\" " << d.program_version
              << ", company \"" << d.fnamn << "\"";
    if (!d.orgnr.empty()) std::cout << " (" << d.orgnr << ")";
    std::cout << ", read as " << sie::encoding_name(read.encoding) << "\nfiscal years:";
    for (const auto& year : d.rar) std::cout << " " << year.index << " " << year.start.iso() << ".." << year.end.iso();
    if (d.rar.empty()) std::cout << " none";
    std::cout << "\naccounts " << d.accounts.size() << ", dimensions " << d.dimensions.size() << ", objects "
              << d.objects.size() << "\nverifications " << d.verifications.size() << ", rows " << figures.booked
              << " (#TRANS; " << figures.added << " of them added by #RTRANS), removed rows " << figures.removed
              << " (#BTRANS), unbalanced " << figures.unbalanced
              << "\nchecksum (#KSUMMA): " << sie::checksum_name(read.checksum) << "\n";
}

void print_text(const std::string& path, const sie::ReadResult& read) {
    print_summary(path, read);
    if (!read.unknown_records.empty()) {
        std::cout << "records skipped (unknown):";
        for (const auto& [label, count] : read.unknown_records) std::cout << " " << label << " " << count;
        std::cout << "\n";
    }
    if (!read.notes.empty()) std::cout << "notes:\n";
    print_problem_lines(read.notes);
    std::cout << "problems: " << read.problems_total << "\n";
    print_problem_lines(read.problems);
    if (read.problems_total > read.problems.size())
        std::cout << "  ... and " << read.problems_total - read.problems.size() << " more\n";
}

int check_file(const Options& options) {
    if (options.positional().size() != 2) throw UsageError("say which file: likvard sie check FILE");
    const std::string& path = options.positional()[1];
    const std::string format = options.value("--format").value_or("text");
    if (format != "text" && format != "json") throw UsageError("--format '" + format + "' is not text or json");
    sie::ReadOptions read_options;
    if (const auto name = options.value("--encoding")) {
        read_options.encoding = sie::encoding_from_name(*name);
        if (!read_options.encoding) throw UsageError("--encoding '" + *name + "' is not cp437, latin1 or utf-8");
    }
    const sie::FileRead read = sie::read_sie_file(path, read_options);
    if (read.error) {
        std::cerr << "likvard sie check: " << *read.error << "\n";
        return exit_usage;
    }
    if (format == "json")
        std::cout << boost::json::serialize(json_of(read.result)) << "\n";
    else
        print_text(path, read.result);
    return read.result.ok() ? exit_ok : exit_failure;
}

}  // namespace

int sie(const Args& args) {
    const Options options(args, {"--format", "--encoding"}, {});
    if (options.help()) return std::cout << sie_help, exit_ok;
    if (options.positional().empty() || options.positional()[0] != "check")
        throw UsageError("say what to do with the SIE file: likvard sie check FILE");
    return check_file(options);
}

}  // namespace likvard::cli
