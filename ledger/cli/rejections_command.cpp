// `likvard rejections replay`: what was rejected can come back once its cause is mended
// (parties registered after the events that name them, a reversal before its event).
#include <iostream>
#include <regex>
#include <sstream>

#include "cli/detail/options.hpp"
#include "store/store.hpp"

namespace likvard::cli {
namespace {

constexpr const char* rejections_help = R"(Usage: likvard rejections replay [--region R] [--reason CODE[,CODE...]]
                                [--since TIME] [--dry-run] [--database-url URL]

Sends kept rejections (ledger.rejections) through the one append path again, oldest
first, with the source they first came from (file and line, Kafka coordinates or HTTP
peer). The usual case: a producer that did not key its Kafka messages by region spread
one region over several partitions, so some events arrived before the registration of
the parties they name and were rejected as unknown_party. Once the registrations are in
the ledger, a replay appends them.

Each rejection is replayed once: every batch is written in one transaction that also
records each of its rejections in ledger.rejection_replays (append-only) with what
happened, so the next replay skips it. A rejection the rules refuse again is kept again,
as a new rejection with the new reason, which a later replay may take up.
Prints one line per rejection:
  rejection <id> (<reason>, received <time>) <event_id>: appended as <region> seq <N>
  rejection <id> (...) <event_id>: duplicate (already in the ledger)
  rejection <id> (...) <event_id>: rejected again: <reason>: <field>: <what is wrong>
then "replayed N: appended A, duplicates D, rejected again R".

--region R       only rejections of that region
--reason CODES   only rejections with these reason codes (comma-separated). Without it,
                 every reason except those the bytes alone decide (too_large,
                 malformed_json, unknown_type, unsupported_schema_version,
                 schema_violation), which the same bytes would meet again
--since TIME     only rejections received at or after TIME (2024-03-01 or RFC 3339,
                 e.g. 2024-03-01T12:00:00Z)
--dry-run        say what would happen and write nothing (each batch of 1,000 is
                 tried on its own and rolled back)

Exit codes: 0 every rejection replayed was appended or was already in the ledger,
1 some was rejected again (or the database failed), 2 usage error.
)";

bool decided_by_bytes(Reason reason) {
    return reason == Reason::too_large || reason == Reason::malformed_json || reason == Reason::unknown_type ||
           reason == Reason::unsupported_schema_version || reason == Reason::schema_violation;
}

std::vector<Reason> reasons_option(const Options& options) {
    std::vector<Reason> reasons;
    const auto given = options.value("--reason");
    if (!given) {
        for (const Reason reason : all_reasons())
            if (!decided_by_bytes(reason)) reasons.push_back(reason);
        return reasons;
    }
    std::stringstream list(*given);
    for (std::string code; std::getline(list, code, ',');) {
        const auto reason = reason_from_code(code);
        if (!reason) throw UsageError("--reason '" + code + "' is not a rejection reason code (see EVENTS in docs)");
        reasons.push_back(*reason);
    }
    if (reasons.empty()) throw UsageError("--reason needs at least one reason code");
    return reasons;
}

std::optional<std::string> since_option(const Options& options) {
    const auto since = options.value("--since");
    static const std::regex time(R"(\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}(:?\d{2})?)?)?)");
    if (since && !std::regex_match(*since, time))
        throw UsageError("--since '" + *since + "' is not a time like 2024-03-01 or 2024-03-01T12:00:00Z");
    return since;
}

std::string describe(const ReplayedRejection& r) {
    std::string line = "rejection " + std::to_string(r.rejection_id) + " (" + r.original_reason + ", received " +
                       r.received_at + ") " + (r.result.event_id.empty() ? "-" : r.result.event_id) + ": ";
    switch (r.result.outcome) {
        case Outcome::appended: return line + "appended as " + r.result.region + " seq " + std::to_string(r.result.seq);
        case Outcome::duplicate: return line + "duplicate (already in the ledger)";
        case Outcome::rejected: return line + "rejected again: " + r.result.rejection->to_string();
    }
    return line;
}

}  // namespace

int rejections(const Args& args) {
    Options options(args, {"--region", "--reason", "--since", "--database-url"}, {"--dry-run"});
    if (options.help()) return std::cout << rejections_help, exit_ok;
    if (options.positional().size() != 1 || options.positional()[0] != "replay")
        throw UsageError("say what to do with the kept rejections: likvard rejections replay");
    ReplayFilter filter;
    filter.region = options.value("--region");
    if (filter.region && !std::regex_match(*filter.region, std::regex("[A-Z]{2}-[A-Z0-9]{1,3}")))
        throw UsageError("--region '" + *filter.region + "' is not an ISO 3166-2 region code like SE-Z");
    filter.reasons = reasons_option(options);
    filter.since = since_option(options);
    filter.dry_run = options.flag("--dry-run");
    Store store(database_url(options));
    const ReplayReport report =
        store.replay_rejections(filter, [](const ReplayedRejection& r) { std::cout << describe(r) << "\n"; });
    std::cout << "replayed " << report.appended + report.duplicates + report.rejected_again << ": appended "
              << report.appended << ", duplicates " << report.duplicates << ", rejected again " << report.rejected_again
              << (filter.dry_run ? " (dry run: nothing was written)" : "") << "\n";
    return report.rejected_again == 0 ? exit_ok : exit_failure;
}

}  // namespace likvard::cli
