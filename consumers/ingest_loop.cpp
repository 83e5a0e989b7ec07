// The ingestion loop: poll a bounded batch, decode it on a second thread while the
// previous batch is written, append it through the store's one append path with the
// partitions' next offsets in the same transaction, then send the rejected messages to
// the dead-letter topic. Offsets live in PostgreSQL only: every assignment seeks to them.
// Kafka and the database are used from one thread; librdkafka's callbacks fire inside
// rd_kafka_consumer_poll. The decode thread only runs the pure Decoder.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <future>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <thread>

#include <spdlog/spdlog.h>

#include "dead_letter.hpp"
#include "ingest_loop.hpp"
#include "kafka.hpp"
#include "store/store.hpp"

namespace likvard::ingest {
namespace {

using namespace detail;
using Clock = std::chrono::steady_clock;
using TopicPartition = std::pair<std::string, std::int32_t>;

constexpr int poll_idle_ms = 100;
constexpr int fetch_wait_ms_max = 25;
constexpr int backoff_slice_ms = 50;
constexpr std::size_t fetch_bytes_max = 2 * message_bytes_max;  // one fetch response
constexpr std::size_t receive_overhead_bytes = 1024 * 1024;     // response framing above fetch_bytes_max

// Database errors end with a newline; a log line is one line.
std::string one_line(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    for (char& c : text)
        if (c == '\n') c = ' ';
    return text;
}

int backoff_ms(int attempt) {
    const int shift = std::min(attempt, 10);
    return std::min(retry_backoff_ms_max, retry_backoff_ms_min << shift);
}

std::map<std::string, std::string> consumer_options(const IngestConfig& config) {
    return {
        {"bootstrap.servers", config.brokers},
        {"group.id", config.group},
        {"client.id", "likvard-ingest"},
        {"enable.auto.commit", "false"},
        {"enable.auto.offset.store", "false"},
        {"isolation.level", "read_committed"},
        // Only a partition without a stored offset starts at the beginning (assigned
        // explicitly); an out-of-range stored offset is an error, never a silent skip.
        {"auto.offset.reset", "error"},
        {"enable.partition.eof", "false"},
        // Eager (the whole assignment per rebalance). Round-robin first: with a topic of one
        // partition per region (docs/scaling.md) range would give every topic's partition to
        // one member; round-robin spreads the partitions of all topics over the members.
        {"partition.assignment.strategy", "roundrobin,range"},
        {"session.timeout.ms", "10000"},
        {"heartbeat.interval.ms", "1000"},
        {"max.poll.interval.ms", "300000"},
        // Per partition and fetch: room for the largest message (with its framing), which
        // must arrive whole to be rejected; fetch.max.bytes bounds the whole response.
        {"fetch.message.max.bytes", std::to_string(message_bytes_max + receive_overhead_bytes)},
        {"fetch.max.bytes", std::to_string(fetch_bytes_max)},
        {"receive.message.max.bytes", std::to_string(fetch_bytes_max + receive_overhead_bytes)},
        {"queued.max.messages.kbytes", "65536"},
        // A fetch that finds no new message waits at most this long. A real broker answers
        // as soon as fetch.min.bytes arrive; the embedded broker always waits the whole
        // time, so at librdkafka's default of 500 ms every message published while run was
        // caught up waited for that fetch to come back.
        {"fetch.wait.max.ms", std::to_string(fetch_wait_ms_max)},
        {"fetch.min.bytes", "1"},
        {"check.crcs", "true"},
    };
}

// Messages read from Kafka and not yet written, with their keys and Kafka timestamps.
struct Polled {
    std::vector<Incoming> messages;
    std::vector<std::string> keys;
    std::vector<std::int64_t> timestamps_ms;  // -1: none
    std::size_t bytes = 0;

    bool empty() const { return messages.empty(); }
};

// A polled batch whose decoding runs (or ran) on the decode thread. The messages live on
// the heap so that the decode thread's reference survives moves of the Batch.
struct Batch {
    std::unique_ptr<Polled> polled;
    std::future<std::vector<DecodeResult>> decoding;
    std::vector<DecodeResult> decoded;
    bool is_decoded = false;

    // Waits for the decode thread once; afterwards `decoded` is the batch's decoding.
    std::vector<DecodeResult>& results() {
        if (!is_decoded) {
            decoded = decoding.get();
            is_decoded = true;
        }
        return decoded;
    }
};

// Keeps only the messages not of a revoked partition (decoding, keys, timestamps alike).
template <typename Decoded>
std::size_t drop_revoked(const std::set<TopicPartition>& revoked, Polled& polled, Decoded* decoded) {
    Polled kept;
    Decoded kept_decoded;
    for (std::size_t i = 0; i < polled.messages.size(); ++i) {
        if (revoked.contains({polled.messages[i].source.file, polled.messages[i].source.partition})) continue;
        kept.bytes += polled.messages[i].bytes.size();
        kept.messages.push_back(std::move(polled.messages[i]));
        kept.keys.push_back(std::move(polled.keys[i]));
        kept.timestamps_ms.push_back(polled.timestamps_ms[i]);
        if (decoded != nullptr) kept_decoded.push_back(std::move((*decoded)[i]));
    }
    const std::size_t dropped = polled.messages.size() - kept.messages.size();
    polled = std::move(kept);
    if (decoded != nullptr) *decoded = std::move(kept_decoded);
    return dropped;
}

std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

inline constexpr double ms_per_second = 1000.0;

// A quantile of the publish-to-commit latency in whole milliseconds (its bounds are whole ms).
std::int64_t quantile_ms(const LatencyHistogram& latency, double fraction) {
    return std::llround(latency.quantile_seconds(fraction).value_or(-1 / ms_per_second) * ms_per_second);
}

class Ingester {
public:
    Ingester(const IngestConfig& config, const StopFlag& stop)
        : config_(config), stop_(stop), dead_letters_(config.brokers, config.dead_letter_topic) {
        auto options = consumer_options(config);
        if (const char* debug = std::getenv("LIKVARD_KAFKA_DEBUG"); debug != nullptr && *debug != '\0')
            options["debug"] = debug;  // librdkafka's debug contexts, e.g. "cgrp,fetch"
        rd_kafka_conf_t* conf = make_conf(options);
        rd_kafka_conf_set_opaque(conf, this);
        rd_kafka_conf_set_rebalance_cb(conf, on_rebalance_trampoline);
        consumer_ = make_handle(RD_KAFKA_CONSUMER, conf);
        rd_kafka_poll_set_consumer(consumer_.get());
    }

    IngestTotals run() {
        store();  // a database that cannot be reached at start is a failure, not a wait
        subscribe();
        last_progress_ = Clock::now();
        try {
            while (!stop_.load()) {
                fill_batch();
                step();
                report_progress(false);
            }
            // Stopping: what was read is decoded and written (or, if the database fails
            // now, left for the next start: its offsets were not stored).
            while (!polling_.empty() || decoding_) step();
        } catch (...) {
            discard_pipeline();
            close();
            throw;
        }
        close();
        report_progress(true);
        return totals_;
    }

private:
    static void on_rebalance_trampoline(rd_kafka_t*, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* list,
                                        void* opaque) {
        static_cast<Ingester*>(opaque)->on_rebalance(err, list);
    }

    void subscribe() {
        PartitionList topics(rd_kafka_topic_partition_list_new(static_cast<int>(config_.topics.size())));
        for (const auto& topic : config_.topics)
            rd_kafka_topic_partition_list_add(topics.get(), topic.c_str(), RD_KAFKA_PARTITION_UA);
        const rd_kafka_resp_err_t err = rd_kafka_subscribe(consumer_.get(), topics.get());
        if (err != RD_KAFKA_RESP_ERR_NO_ERROR) throw KafkaError(std::string("subscribe: ") + rd_kafka_err2str(err));
        spdlog::info("consuming {} as group {} from {}", join(config_.topics), config_.group, config_.brokers);
    }

    static std::string join(const std::vector<std::string>& items) {
        std::string out;
        for (const auto& item : items) out += (out.empty() ? "" : ",") + item;
        return out;
    }

    // The pipeline: the batch just polled starts decoding on the decode thread while the
    // batch decoded before it is written here. One Decoder, used by one thread at a time:
    // the previous decoding has finished before the next starts.
    void step() {
        std::optional<Batch> writing = std::move(decoding_);
        decoding_.reset();
        if (writing) writing->results();
        if (!polling_.empty()) decoding_ = start_decoding(std::move(polling_));
        polling_ = Polled{};
        if (writing) {
            writing_ = std::move(writing);
            write_batch();
            writing_.reset();
        }
        if (rewind_) discard_pipeline();  // read again from the stored offsets
        resume();
    }

    Batch start_decoding(Polled polled) {
        Batch batch;
        batch.polled = std::make_unique<Polled>(std::move(polled));
        const std::vector<Incoming>* messages = &batch.polled->messages;
        batch.decoding = std::async(std::launch::async, [this, messages] { return decode_batch(*messages, decoder_); });
        return batch;
    }

    void discard_pipeline() {
        if (decoding_ && decoding_->decoding.valid()) decoding_->decoding.wait();
        decoding_.reset();
        polling_ = Polled{};
    }

    // Runs inside rd_kafka_consumer_poll (and rd_kafka_consumer_close): never throws.
    void on_rebalance(rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* list) {
        if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
            if (!seek_to_stored_offsets(list)) return;
            rd_kafka_assign(consumer_.get(), list);
            for (int i = 0; i < list->cnt; ++i) {
                if (list->elems[i].offset == RD_KAFKA_OFFSET_BEGINNING)
                    from_beginning_.insert({list->elems[i].topic, list->elems[i].partition});
                assigned_.insert({list->elems[i].topic, list->elems[i].partition});
                spdlog::info("assigned {}[{}] from stored offset {}", list->elems[i].topic, list->elems[i].partition,
                             offset_text(list->elems[i].offset));
            }
            paused_ = false;
            return;
        }
        if (err == RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS)
            drop_buffered(list);
        else
            spdlog::error("rebalance failed: {}", rd_kafka_err2str(err));
        rd_kafka_assign(consumer_.get(), nullptr);
        assigned_.clear();
        from_beginning_.clear();
        paused_ = false;
    }

    static std::string offset_text(std::int64_t offset) {
        return offset == RD_KAFKA_OFFSET_BEGINNING ? std::string("beginning (none stored)") : std::to_string(offset);
    }

    // Sets each partition's start to the offset stored in PostgreSQL (the beginning when
    // none is). Retries a failing database until it answers or a stop is asked for.
    bool seek_to_stored_offsets(rd_kafka_topic_partition_list_t* list) {
        for (int attempt = 0;; ++attempt) {
            try {
                const auto stored = store().consumer_offsets(config_.group);
                for (int i = 0; i < list->cnt; ++i) {
                    const auto found = stored.find({list->elems[i].topic, list->elems[i].partition});
                    list->elems[i].offset = found == stored.end() ? RD_KAFKA_OFFSET_BEGINNING : found->second;
                }
                return true;
            } catch (const std::exception& error) {
                store_.reset();
                spdlog::error("reading stored consumer offsets failed (attempt {}): {}", attempt + 1,
                              one_line(error.what()));
                if (stop_.load()) {
                    rd_kafka_assign(consumer_.get(), nullptr);
                    return false;
                }
                std::this_thread::sleep_for(std::chrono::milliseconds(backoff_ms(attempt)));
            }
        }
    }

    // Unwritten messages of revoked partitions are dropped, wherever they are in the
    // pipeline (being read, decoded or retried): whoever gets the partition next reads
    // them again from the stored offset.
    void drop_buffered(const rd_kafka_topic_partition_list_t* list) {
        std::set<TopicPartition> revoked;
        for (int i = 0; i < list->cnt; ++i) revoked.insert({list->elems[i].topic, list->elems[i].partition});
        std::size_t dropped = drop_revoked<std::vector<DecodeResult>>(revoked, polling_, nullptr);
        for (std::optional<Batch>* batch : {&decoding_, &writing_})
            if (*batch) dropped += drop_revoked(revoked, *(*batch)->polled, &(*batch)->results());
        if (dropped > 0)
            spdlog::info("revoked {} partition(s): dropped {} unwritten message(s)", revoked.size(), dropped);
    }

    Store& store() {
        if (!store_) store_ = std::make_unique<Store>(config_.database_url);
        return *store_;
    }

    // Polls until the batch is full (messages or bytes) or batch_wait_ms_max after its first message.
    void fill_batch() {
        Clock::time_point deadline = Clock::now() + std::chrono::milliseconds(poll_idle_ms);
        while (!stop_.load() && polling_.messages.size() < batch_messages_max && polling_.bytes < batch_bytes_max) {
            const auto remaining = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
            if (remaining.count() <= 0) break;
            // A decoded batch waits to be written: poll without waiting once the pipeline has work.
            const int wait_ms = decoding_ && polling_.empty() ? 0 : static_cast<int>(remaining.count());
            rd_kafka_message_t* message = rd_kafka_consumer_poll(consumer_.get(), wait_ms);
            if (message == nullptr) {
                if (wait_ms == 0) break;
                continue;
            }
            const bool first = polling_.empty();
            take(message);
            if (first && !polling_.empty()) deadline = Clock::now() + std::chrono::milliseconds(batch_wait_ms_max);
        }
    }

    void take(rd_kafka_message_t* message) {
        struct Destroy {
            rd_kafka_message_t* m;
            ~Destroy() { rd_kafka_message_destroy(m); }
        } destroy{message};
        if (message->err != RD_KAFKA_RESP_ERR_NO_ERROR) return on_error(message);
        warn_if_log_truncated(message);
        Incoming incoming;
        incoming.bytes.assign(static_cast<const char*>(message->payload), message->len);
        incoming.source =
            Source{Source::Kind::kafka, rd_kafka_topic_name(message->rkt), 0, message->partition, message->offset};
        rd_kafka_timestamp_type_t timestamp_type = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE;
        const std::int64_t timestamp_ms = rd_kafka_message_timestamp(message, &timestamp_type);
        polling_.bytes += message->len;
        polling_.keys.push_back(message->key ? std::string(static_cast<const char*>(message->key), message->key_len)
                                             : "");
        polling_.timestamps_ms.push_back(timestamp_type == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE ? -1 : timestamp_ms);
        polling_.messages.push_back(std::move(incoming));
        ++totals_.consumed;
    }

    // A partition without a stored offset starts at its log's first message; say so loudly
    // when that is not offset 0 (the broker deleted earlier ones before this group read them).
    void warn_if_log_truncated(const rd_kafka_message_t* message) {
        if (from_beginning_.empty()) return;
        const auto found = from_beginning_.find({rd_kafka_topic_name(message->rkt), message->partition});
        if (found == from_beginning_.end()) return;
        const TopicPartition partition = *found;
        from_beginning_.erase(found);
        if (message->offset > 0)
            spdlog::warn(
                "{}[{}] had no stored offset and its log starts at offset {}: messages 0..{} were deleted "
                "by the broker before this group read them",
                partition.first, partition.second, message->offset, message->offset - 1);
    }

    void on_error(const rd_kafka_message_t* message) {
        const std::string topic = message->rkt ? rd_kafka_topic_name(message->rkt) : std::string("-");
        if (message->err == RD_KAFKA_RESP_ERR__AUTO_OFFSET_RESET ||
            message->err == RD_KAFKA_RESP_ERR_OFFSET_OUT_OF_RANGE) {
            const std::string text = "offset out of range: " + topic + "[" + std::to_string(message->partition) +
                                     "] at offset " + std::to_string(message->offset) + ": " +
                                     rd_kafka_message_errstr(message) +
                                     " (the stored offset is not in Kafka any more; refusing to skip messages)";
            spdlog::critical("{}", text);
            throw OffsetOutOfRange(text);
        }
        char fatal[512];
        if (rd_kafka_fatal_error(consumer_.get(), fatal, sizeof fatal) != RD_KAFKA_RESP_ERR_NO_ERROR)
            throw KafkaError(std::string("fatal kafka error: ") + fatal);
        spdlog::warn("kafka: {} ({}[{}])", rd_kafka_message_errstr(message), topic, message->partition);
    }

    // Per partition of the batch: its first offset and the next one (last + 1). The store
    // refuses the batch if another writer stored an offset past that first one.
    std::vector<ConsumerOffset> next_offsets(const std::vector<Incoming>& messages) const {
        std::map<TopicPartition, std::pair<std::int64_t, std::int64_t>> span;  // first, next
        for (const auto& input : messages) {
            const auto [at, inserted] = span.try_emplace({input.source.file, input.source.partition},
                                                         input.source.offset, input.source.offset + 1);
            if (inserted) continue;
            at->second.first = std::min(at->second.first, input.source.offset);
            at->second.second = std::max(at->second.second, input.source.offset + 1);
        }
        std::vector<ConsumerOffset> offsets;
        for (const auto& [tp, first_next] : span)
            offsets.push_back({config_.group, tp.first, tp.second, first_next.second, first_next.first});
        return offsets;
    }

    // Appends writing_ (events, rejections and offsets in one transaction), retrying a
    // failing database with back-off while the partitions are paused, then dead-letters.
    // A revocation while waiting may shrink writing_; the next attempt writes what is left.
    void write_batch() {
        std::optional<AppendResult> result;
        for (int attempt = 0; !writing_->polled->empty(); ++attempt) {
            try {
                result = store().append_decoded(writing_->polled->messages, writing_->results(),
                                                next_offsets(writing_->polled->messages));
                break;
            } catch (const OffsetBehind& behind) {  // fenced: another writer has these messages
                ++totals_.batches_behind;
                spdlog::warn("{}; dropping the batch of {} message(s) and reading on from the stored offsets",
                             behind.what(), writing_->polled->messages.size());
                rewind_ = true;
                break;
            } catch (const std::exception& error) {
                store_.reset();      // reconnect on the next attempt
                if (stop_.load()) {  // nothing of the batch was committed: the next run reads it again
                    spdlog::error(
                        "stopping with a batch of {} message(s) not written ({}); their offsets were not "
                        "stored, so they are read again on the next start",
                        writing_->polled->messages.size(), one_line(error.what()));
                    discard_pipeline();
                    break;
                }
                ++totals_.database_retries;
                spdlog::error("appending a batch of {} message(s) failed (attempt {}), retrying in {} ms: {}",
                              writing_->polled->messages.size(), attempt + 1, backoff_ms(attempt),
                              one_line(error.what()));
                wait_paused(backoff_ms(attempt));
            }
        }
        if (!result) return;
        count(*result, writing_->polled->timestamps_ms);
        dead_letter(*result);  // after the commit, on the batch exactly as it was written
    }

    void count(const AppendResult& result, const std::vector<std::int64_t>& timestamps_ms) {
        ++totals_.batches;
        totals_.appended += result.appended;
        totals_.duplicates += result.duplicates;
        totals_.rejected += result.rejected;
        const std::int64_t committed_ms = now_ms();
        for (const std::int64_t timestamp_ms : timestamps_ms)
            if (timestamp_ms >= 0)
                totals_.publish_to_commit.observe(static_cast<double>(committed_ms - timestamp_ms) / ms_per_second);
    }

    // After the commit: every rejected message goes to the dead-letter topic. Failures that
    // may pass are retried (partitions paused) for at most dead_letter_retry_ms_max; those
    // refused for good, and those still failing then, are logged and counted, and
    // consumption goes on: ledger.rejections already holds them all (same transaction).
    void dead_letter(const AppendResult& result) {
        std::vector<DeadLetter> letters = letters_of(result);
        const std::size_t total = letters.size();
        const auto deadline = Clock::now() + std::chrono::milliseconds(config_.dead_letter_retry_ms_max);
        std::size_t failed = 0;
        for (int attempt = 0; !letters.empty(); ++attempt) {
            const DeliveryReport report = dead_letters_.deliver(letters, remaining_ms(deadline));
            failed += report.refused.size();
            log_refused(report.refused);
            if (letters.empty()) break;
            if (stop_.load() || remaining_ms(deadline) <= backoff_ms(attempt)) {
                spdlog::error(
                    "{} rejected message(s) not delivered to {} after {} attempt(s){}; not retried, they "
                    "are kept in ledger.rejections: {}",
                    letters.size(), config_.dead_letter_topic, attempt + 1,
                    stop_.load() ? " (stopping)" : " within dead_letter_retry_ms_max", positions(letters));
                failed += letters.size();
                break;
            }
            ++totals_.dead_letter_retries;
            spdlog::error("{} dead-letter message(s) not delivered to {} (attempt {}), retrying in {} ms",
                          letters.size(), config_.dead_letter_topic, attempt + 1, backoff_ms(attempt));
            wait_paused(backoff_ms(attempt));
        }
        totals_.dead_lettered += total - failed;
        totals_.dead_letter_failed += failed;
    }

    std::vector<DeadLetter> letters_of(const AppendResult& result) const {
        std::vector<DeadLetter> letters;
        const Polled& written = *writing_->polled;
        for (std::size_t i = 0; i < written.messages.size(); ++i) {
            const ItemResult& item = result.items[i];
            if (item.outcome != Outcome::rejected || !item.rejection) continue;
            letters.push_back({written.messages[i].bytes, written.keys[i],
                               std::string(reason_code(item.rejection->reason)), item.rejection->message,
                               written.messages[i].source.file, written.messages[i].source.partition,
                               written.messages[i].source.offset});
        }
        return letters;
    }

    static int remaining_ms(Clock::time_point deadline) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
        return static_cast<int>(std::clamp<std::int64_t>(left, 0, std::numeric_limits<int>::max()));
    }

    // One error line per reason the brokers gave, naming where the messages came from.
    void log_refused(const std::vector<RefusedLetter>& refused) const {
        std::map<rd_kafka_resp_err_t, std::vector<RefusedLetter>> by_error;
        for (const auto& letter : refused) by_error[letter.error].push_back(letter);
        for (const auto& [error, letters] : by_error)
            spdlog::error(
                "{} rejected message(s) cannot go to {} ({}: retrying cannot mend it); not retried, "
                "they are kept in ledger.rejections: {}",
                letters.size(), config_.dead_letter_topic, rd_kafka_err2str(error), positions(letters));
    }

    // "topic[partition]@offset, ..." for the first few letters, then how many more.
    template <typename Letter>
    static std::string positions(const std::vector<Letter>& letters) {
        constexpr std::size_t named_max = 10;
        std::string text;
        for (std::size_t i = 0; i < std::min(letters.size(), named_max); ++i)
            text += (i == 0 ? "" : ", ") + letters[i].source_topic + "[" + std::to_string(letters[i].source_partition) +
                    "]@" + std::to_string(letters[i].source_offset);
        if (letters.size() > named_max) text += " and " + std::to_string(letters.size() - named_max) + " more";
        return text;
    }

    // Back-pressure: pause fetching, keep serving the group (rebalances) while waiting.
    void wait_paused(int wait_ms) {
        pause();
        const auto until = Clock::now() + std::chrono::milliseconds(wait_ms);
        while (Clock::now() < until) {
            rd_kafka_message_t* message = rd_kafka_consumer_poll(consumer_.get(), backoff_slice_ms);
            if (message == nullptr) continue;
            // Fetched before the pause took effect: dropped now, read again after the rewind.
            if (message->err == RD_KAFKA_RESP_ERR_NO_ERROR) rewind_ = true;
            rd_kafka_message_destroy(message);
        }
    }

    PartitionList assigned_list() const {
        PartitionList list(rd_kafka_topic_partition_list_new(static_cast<int>(assigned_.size()) + 1));
        for (const auto& [topic, partition] : assigned_)
            rd_kafka_topic_partition_list_add(list.get(), topic.c_str(), partition);
        return list;
    }

    void pause() {
        if (paused_ || assigned_.empty()) return;
        rd_kafka_pause_partitions(consumer_.get(), assigned_list().get());
        paused_ = true;
        spdlog::warn("paused {} partition(s) until the batch is written", assigned_.size());
    }

    void resume() {
        if (rewind_) rewind();
        if (!paused_) return;
        rd_kafka_resume_partitions(consumer_.get(), assigned_list().get());
        paused_ = false;
        spdlog::info("resumed {} partition(s)", assigned_.size());
    }

    // Seeks every assigned partition back to its stored offset (messages were dropped;
    // the caller has emptied the pipeline).
    void rewind() {
        PartitionList list = assigned_list();
        if (!seek_to_stored_offsets(list.get())) return;
        rd_kafka_error_t* error = rd_kafka_seek_partitions(consumer_.get(), list.get(), 10'000);
        if (error != nullptr) {
            const std::string text = rd_kafka_error_string(error);
            rd_kafka_error_destroy(error);
            throw KafkaError("seek to stored offsets: " + text);
        }
        rewind_ = false;
    }

    void report_progress(bool force) {
        const auto now = Clock::now();
        if (!force && now - last_progress_ < std::chrono::milliseconds(config_.progress_interval_ms)) return;
        last_progress_ = now;
        spdlog::info(
            "consumed {}, appended {}, duplicates {}, rejected {}, dead-lettered {}, dead-letter failed {}, "
            "lag {}{}",
            totals_.consumed, totals_.appended, totals_.duplicates, totals_.rejected, totals_.dead_lettered,
            totals_.dead_letter_failed, lag_text(), latency_text());
    }

    // Kafka timestamp (the producer's CreateTime) to the commit of the batch, all messages so far.
    std::string latency_text() const {
        const LatencyHistogram& latency = totals_.publish_to_commit;
        if (latency.count() == 0) return "";
        return ", publish-to-commit p50 " + std::to_string(quantile_ms(latency, 0.50)) + " ms p99 " +
               std::to_string(quantile_ms(latency, 0.99)) + " ms";
    }

    // Messages behind the high watermark, from the client's cached watermarks.
    std::string lag_text() {
        if (assigned_.empty()) return "- (no partitions assigned)";
        PartitionList list = assigned_list();
        if (rd_kafka_position(consumer_.get(), list.get()) != RD_KAFKA_RESP_ERR_NO_ERROR) return "-";
        std::int64_t lag = 0;
        for (int i = 0; i < list->cnt; ++i) {
            std::int64_t low = 0;
            std::int64_t high = 0;
            if (rd_kafka_get_watermark_offsets(consumer_.get(), list->elems[i].topic, list->elems[i].partition, &low,
                                               &high) != RD_KAFKA_RESP_ERR_NO_ERROR ||
                high < 0 || list->elems[i].offset < 0)
                continue;
            lag += std::max<std::int64_t>(0, high - list->elems[i].offset);
        }
        return std::to_string(lag);
    }

    void close() {
        const rd_kafka_resp_err_t err = rd_kafka_consumer_close(consumer_.get());
        if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
            spdlog::warn("closing the consumer: {}", rd_kafka_err2str(err));
        else
            spdlog::info("consumer closed");
    }

    const IngestConfig& config_;
    const StopFlag& stop_;
    DeadLetterProducer dead_letters_;
    Handle consumer_;
    std::unique_ptr<Store> store_;
    Decoder decoder_;                // used by the decode thread only
    Polled polling_;                 // being read from Kafka
    std::optional<Batch> decoding_;  // read, decoding on the decode thread
    std::optional<Batch> writing_;   // decoded, being written
    std::set<TopicPartition> assigned_;
    std::set<TopicPartition> from_beginning_;  // assigned without a stored offset, no message seen yet
    bool paused_ = false;
    bool rewind_ = false;
    IngestTotals totals_;
    Clock::time_point last_progress_;
};

}  // namespace

IngestTotals run(const IngestConfig& config, const StopFlag& stop) {
    Ingester ingester(config, stop);
    return ingester.run();
}

}  // namespace likvard::ingest
