// `likvard-ingest`: Kafka into the ledger (run), the embedded broker (broker), and events
// into Kafka (publish). Exit codes: 0 ok, 1 the work failed, 2 usage error.
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <thread>

#include <spdlog/spdlog.h>

#include "embedded_broker.hpp"
#include "ingest_loop.hpp"
#include "logging.hpp"
#include "publish.hpp"

namespace {

using namespace likvard::ingest;

constexpr int exit_ok = 0;
constexpr int exit_failure = 1;
constexpr int exit_usage = 2;

constexpr const char* usage_text = R"(likvard-ingest - Kafka into the Likvärd ledger

Usage: likvard-ingest <command> [options]

Commands:
  run               Consume events from Kafka and append them to the ledger, exactly
                    once: each batch's events, rejections and the Kafka offsets are
                    written in one PostgreSQL transaction; on every partition
                    assignment consumption starts from the offsets stored in the
                    ledger. Rejected messages also go to the dead-letter topic;
                    one the brokers refuse for good (too large, unknown topic,
                    not authorised) or that is not delivered within 60 s is
                    logged and counted, and consumption goes on (ledger.rejections
                    holds every rejected message). Needs --brokers or
                    $LIKVARD_KAFKA_BROKERS.
  broker            Run the embedded broker alone (one machine, trials) until stopped.
  publish FILE...   Check each line of NDJSON files ('-' = stdin) and send the valid
                    events to Kafka, keyed by region; waits until every one is
                    acknowledged by the brokers.

Options:
  --brokers LIST        Kafka bootstrap servers, or 'embedded' (run: start an
                        in-process broker, for one machine and trials). Default:
                        $LIKVARD_KAFKA_BROKERS, else (publish) the address in
                        <state-dir>/kafka.bootstrap; run needs one of the two.
  --topics LIST         event topics, comma separated (default likvard.events)
  --group NAME          consumer group (run; default likvard-ingest)
  --dlq TOPIC           dead-letter topic (run; default likvard.dead-letter)
  --database-url URL    the ledger (run; default $LIKVARD_DATABASE_URL)
  --state-dir DIR       where the embedded broker's address is written (default .local)
  --partitions N        partitions of each event topic in the embedded broker (default 4)
  --send-invalid        publish: send lines that fail validation too (they are rejected
                        by the ledger and dead-lettered)
  --log-format text|json  logs on stderr (default text)

Stop run and broker with SIGTERM or SIGINT: run finishes and commits the current
batch, closes the consumer and exits 0.

Exit codes: 0 ok, 1 the work failed (database or Kafka failure, a stored offset out
of Kafka's range, a publish line invalid or not delivered), 2 usage error.
)";

static_assert(dead_letter_retry_ms_max == 60'000, "usage_text says 60 s");

struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct Options {
    std::map<std::string, std::string> values;
    std::set<std::string> flags;
    std::vector<std::string> positional;

    std::optional<std::string> value(const std::string& name) const {
        const auto found = values.find(name);
        return found == values.end() ? std::nullopt : std::optional(found->second);
    }
};

Options parse(int argc, char** argv) {
    const std::set<std::string> valued{"--brokers",      "--topics",    "--group",      "--dlq",
                                       "--database-url", "--state-dir", "--partitions", "--log-format"};
    const std::set<std::string> flags{"--send-invalid", "--help", "-h"};
    Options options;
    for (int i = 2; i < argc; ++i) {
        const std::string arg = argv[i];
        if (valued.contains(arg)) {
            if (i + 1 >= argc) throw UsageError(arg + " needs a value");
            options.values[arg] = argv[++i];
        } else if (flags.contains(arg)) {
            options.flags.insert(arg);
        } else if (arg.size() > 1 && arg[0] == '-') {
            throw UsageError("unknown option " + arg);
        } else {
            options.positional.push_back(arg);
        }
    }
    return options;
}

std::vector<std::string> split(const std::string& text) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t comma = std::min(text.find(',', start), text.size());
        if (comma > start) parts.push_back(text.substr(start, comma - start));
        start = comma + 1;
    }
    if (parts.empty()) throw UsageError("an empty topic list");
    return parts;
}

std::string from_env(const char* name) {
    const char* value = std::getenv(name);
    return value == nullptr ? std::string() : std::string(value);
}

StopFlag stop_requested{false};
extern "C" void on_stop_signal(int) { stop_requested.store(true); }

void install_stop_handlers() {
    struct sigaction action {};
    action.sa_handler = on_stop_signal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGTERM, &action, nullptr);
    sigaction(SIGINT, &action, nullptr);
}

int partitions_of(const Options& options) {
    const std::string text = options.value("--partitions").value_or(std::to_string(events_partitions_default));
    const int partitions = std::atoi(text.c_str());
    if (partitions < 1 || partitions > 1024) throw UsageError("--partitions must be between 1 and 1024");
    return partitions;
}

std::unique_ptr<EmbeddedBroker> start_embedded(const Options& options, const std::vector<std::string>& topics,
                                               const std::string& dlq) {
    auto broker = std::make_unique<EmbeddedBroker>(topics, partitions_of(options), dlq);
    write_bootstrap_file(options.value("--state-dir").value_or(".local"), broker->bootstraps());
    std::cout << "embedded broker listening on " << broker->bootstraps() << std::endl;
    spdlog::info("embedded broker listening on {} (for one machine and trials; production uses --brokers)",
                 broker->bootstraps());
    return broker;
}

int run_command(const Options& options) {
    IngestConfig config;
    config.topics = split(options.value("--topics").value_or(topics_default));
    config.group = options.value("--group").value_or(group_default);
    config.dead_letter_topic = options.value("--dlq").value_or(dead_letter_default);
    config.database_url = options.value("--database-url").value_or(from_env("LIKVARD_DATABASE_URL"));
    if (config.database_url.empty()) throw UsageError("no database: --database-url or $LIKVARD_DATABASE_URL");
    config.brokers = options.value("--brokers").value_or(from_env("LIKVARD_KAFKA_BROKERS"));
    if (config.brokers.empty())
        throw UsageError(
            "no brokers: give --brokers LIST or set $LIKVARD_KAFKA_BROKERS (--brokers embedded starts "
            "an in-process broker, for one machine and trials)");
    install_stop_handlers();
    std::unique_ptr<EmbeddedBroker> embedded;
    if (config.brokers == "embedded") {
        embedded = start_embedded(options, config.topics, config.dead_letter_topic);
        config.brokers = embedded->bootstraps();
    }
    try {
        const IngestTotals totals = run(config, stop_requested);
        spdlog::info("stopped: consumed {}, appended {}, duplicates {}, rejected {}, dead-letter failed {}",
                     totals.consumed, totals.appended, totals.duplicates, totals.rejected, totals.dead_letter_failed);
        return exit_ok;
    } catch (const std::exception& error) {
        spdlog::critical("likvard-ingest run: {}", error.what());
        return exit_failure;
    }
}

int broker_command(const Options& options) {
    install_stop_handlers();
    const auto broker = start_embedded(options, split(options.value("--topics").value_or(topics_default)),
                                       options.value("--dlq").value_or(dead_letter_default));
    while (!stop_requested.load()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    spdlog::info("embedded broker stopped");
    return exit_ok;
}

// Reads the files ('-' = stdin) line by line as the producer asks for them; empty lines
// are skipped. Every file is opened before the first line is sent.
class FileLines {
public:
    explicit FileLines(const std::vector<std::string>& paths) : paths_(paths), files_(paths.size()) {
        for (std::size_t i = 0; i < paths.size(); ++i)
            if (paths[i] != "-" && (files_[i].open(paths[i], std::ios::binary), !files_[i]))
                throw UsageError("cannot open " + paths[i]);
    }

    bool next(PublishLine& line) {
        for (; current_ < paths_.size(); ++current_, number_ = 0) {
            std::istream& in = paths_[current_] == "-" ? std::cin : files_[current_];
            while (std::getline(in, line.bytes)) {
                ++number_;
                if (line.bytes.empty()) continue;
                line.origin = paths_[current_] + ":" + std::to_string(number_);
                return true;
            }
        }
        return false;
    }

private:
    std::vector<std::string> paths_;
    std::vector<std::ifstream> files_;
    std::size_t current_ = 0;
    std::int64_t number_ = 0;
};

int publish_command(const Options& options) {
    if (options.positional.empty()) throw UsageError("publish needs FILE... ('-' for stdin)");
    PublishConfig config;
    config.topic = split(options.value("--topics").value_or(topics_default)).front();
    config.send_invalid = options.flags.contains("--send-invalid");
    config.brokers = options.value("--brokers").value_or(from_env("LIKVARD_KAFKA_BROKERS"));
    if (config.brokers.empty())
        config.brokers = read_bootstrap_file(options.value("--state-dir").value_or(".local")).value_or("");
    if (config.brokers.empty() || config.brokers == "embedded")
        throw UsageError("no brokers: --brokers, $LIKVARD_KAFKA_BROKERS or a running 'likvard-ingest broker'");
    FileLines lines(options.positional);
    const PublishReport report = publish(
        config, [&](PublishLine& line) { return lines.next(line); }, std::cerr);
    std::cout << "lines " << report.lines << ", invalid " << report.invalid << ", sent " << report.sent
              << ", delivered " << report.delivered << ", not delivered " << report.failed << '\n';
    const bool complete = report.delivered == report.sent && report.failed == 0;
    return complete && (report.invalid == 0 || config.send_invalid) ? exit_ok : exit_failure;
}

}  // namespace

int main(int argc, char** argv) {
    // `publish -` reads stdin with std::getline; synchronised with C stdio that reads one
    // character at a time, which cost the publisher more than validating the line. Nothing
    // here mixes C stdio and iostreams on one stream (spdlog writes stderr with fwrite, and
    // std::cerr stays unit-buffered).
    std::ios_base::sync_with_stdio(false);
    const std::map<std::string, int (*)(const Options&)> commands{
        {"run", run_command}, {"broker", broker_command}, {"publish", publish_command}};
    if (argc < 2 || std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h") {
        (argc < 2 ? std::cerr : std::cout) << usage_text;
        return argc < 2 ? exit_usage : exit_ok;
    }
    const auto command = commands.find(argv[1]);
    if (command == commands.end()) {
        std::cerr << "likvard-ingest: unknown command '" << argv[1] << "'\n\n" << usage_text;
        return exit_usage;
    }
    try {
        const Options options = parse(argc, argv);
        if (options.flags.contains("--help") || options.flags.contains("-h")) return std::cout << usage_text, exit_ok;
        const std::string format = options.value("--log-format").value_or("text");
        if (format != "text" && format != "json") throw UsageError("--log-format must be text or json");
        setup_logging(format == "json");
        return command->second(options);
    } catch (const UsageError& error) {
        std::cerr << "likvard-ingest " << argv[1] << ": " << error.what() << " (see likvard-ingest --help)\n";
        return exit_usage;
    } catch (const std::exception& error) {
        std::cerr << "likvard-ingest " << argv[1] << ": " << error.what() << '\n';
        return exit_failure;
    }
}
