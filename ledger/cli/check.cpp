// `likvard check FILE`: every line through decode -> rules -> postings, in memory, with
// earlier lines of the file as the ledger's state. Nothing is written anywhere.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>

#include <boost/json.hpp>

#include "cli/detail/commands.hpp"
#include "rules/rules.hpp"

namespace likvard::cli {
namespace {

constexpr const char* check_help = R"(Usage: likvard check [--postings] FILE

Checks an NDJSON file (one event per line; FILE '-' reads stdin) against the event
contract (schemas/events/) and the ledger rules, treating the events earlier in the
file as the ledger: parties registered, listings, closed periods, and financial events
that a reversal may reverse. Nothing is written to the ledger.

Prints one line per rejected event to stdout:
  line N: <event_id or -> <reason_code>: <field>: <what is wrong>
and a summary to stderr. With --postings, also prints the postings of every accepted
event as JSON lines (amounts in SEK with two decimals, debit positive).

Exit codes: 0 every event passes, 1 at least one was rejected, 2 usage error.
)";

struct Counts {
    std::size_t lines = 0;
    std::size_t accepted = 0;
    std::size_t redelivered = 0;
    std::size_t rejected = 0;
};

void print_postings(std::size_t line, const Event& event, const std::vector<Posting>& postings) {
    for (const auto& posting : postings) {
        boost::json::object row{
            {"line", line},           {"event_id", event.event_id},
            {"region", event.region}, {"scheme", event.scheme},
            {"period", event.period}, {"account", posting.account()},
            {"party", posting.party}, {"class", posting.account_class},
            {"item", posting.item},   {"amount", posting.amount.to_string()},
        };
        std::cout << boost::json::serialize(row) << '\n';
    }
}

void print_rejection(std::size_t line, const std::string& event_id, const Rejection& rejection) {
    std::cout << "line " << line << ": " << (event_id.empty() ? "-" : event_id) << ' ' << rejection.to_string() << '\n';
}

void check_line(std::size_t line, std::string_view bytes, Decoder& decoder, std::map<std::string, RegionState>& regions,
                bool show_postings, Counts& counts) {
    DecodeResult decoded = decoder.decode(bytes);
    if (decoded.rejection) {
        print_rejection(line, decoded.event_id, *decoded.rejection);
        ++counts.rejected;
        return;
    }
    const Event& event = *decoded.event;
    RegionState& state = regions[event.region];
    const Admission admission = admit(event, state);
    if (const auto* rejection = std::get_if<Rejection>(&admission)) {
        print_rejection(line, decoded.event_id, *rejection);
        ++counts.rejected;
    } else if (std::holds_alternative<Redelivery>(admission)) {
        ++counts.redelivered;
    } else {
        const auto& postings = std::get<Admitted>(admission).postings;
        state.apply(event, postings);
        if (show_postings) print_postings(line, event, postings);
        ++counts.accepted;
    }
}

}  // namespace

int check(const Args& args) {
    bool show_postings = false;
    std::string path;
    for (const auto& arg : args) {
        if (arg == "--help" || arg == "-h") {
            std::cout << check_help;
            return exit_ok;
        }
        if (arg == "--postings") {
            show_postings = true;
        } else if (path.empty() && (arg == "-" || arg.rfind("-", 0) != 0)) {
            path = arg;
        } else {
            std::cerr << "likvard check: unexpected argument '" << arg << "'\n\n" << check_help;
            return exit_usage;
        }
    }
    if (path.empty()) {
        std::cerr << "likvard check: FILE is required ('-' for stdin)\n\n" << check_help;
        return exit_usage;
    }
    std::ifstream file;
    if (path != "-") {
        file.open(path, std::ios::binary);
        if (!file) {
            std::cerr << "likvard check: cannot open " << path << "\n";
            return exit_usage;
        }
    }
    std::istream& in = path == "-" ? std::cin : file;
    Decoder decoder;
    std::map<std::string, RegionState> regions;
    Counts counts;
    std::string line;
    while (std::getline(in, line)) {
        ++counts.lines;
        if (line.empty()) continue;  // a blank line carries no event
        check_line(counts.lines, line, decoder, regions, show_postings, counts);
    }
    std::cerr << "checked " << counts.lines << " lines: " << counts.accepted << " accepted, " << counts.redelivered
              << " duplicates, " << counts.rejected << " rejected\n";
    return counts.rejected == 0 ? exit_ok : exit_failure;
}

}  // namespace likvard::cli
