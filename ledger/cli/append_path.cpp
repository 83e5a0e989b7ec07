// The one append path from the shell (cli/detail/append_path.hpp): reading and decoding the
// next batch runs while the previous one is written (two cores, two stages).
#include "cli/detail/append_path.hpp"

#include <condition_variable>
#include <deque>
#include <istream>
#include <mutex>
#include <thread>

namespace likvard::cli {
namespace {

constexpr std::size_t batches_in_flight_max = 2;

struct DecodedBatch {
    std::vector<Incoming> inputs;
    std::vector<DecodeResult> decoded;
};

// Batches handed from the reading thread to the writing one; at most `capacity` wait.
class BatchQueue {
public:
    explicit BatchQueue(std::size_t capacity) : capacity_(capacity) {}

    void push(DecodedBatch batch) {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [&] { return batches_.size() < capacity_ || abandoned_; });
        batches_.push_back(std::move(batch));
        changed_.notify_all();
    }
    // False when the reader has finished and everything was taken.
    bool pop(DecodedBatch& batch) {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [&] { return !batches_.empty() || finished_; });
        if (batches_.empty()) return false;
        batch = std::move(batches_.front());
        batches_.pop_front();
        changed_.notify_all();
        return true;
    }
    void finish() {
        std::lock_guard lock(mutex_);
        finished_ = true;
        changed_.notify_all();
    }
    void abandon() {  // the writer failed: let the reader run out without waiting
        std::lock_guard lock(mutex_);
        abandoned_ = true;
        batches_.clear();
        changed_.notify_all();
    }

private:
    const std::size_t capacity_;
    std::mutex mutex_;
    std::condition_variable changed_;
    std::deque<DecodedBatch> batches_;
    bool finished_ = false;
    bool abandoned_ = false;
};

// Reads inputs into batches and decodes them, on its own thread and with its own Decoder.
void read_and_decode(const NextInput& next, std::int64_t batch_events, BatchQueue& queue) {
    Decoder decoder;
    DecodedBatch batch;
    auto hand_over = [&] {
        batch.decoded = decode_batch(batch.inputs, decoder);
        queue.push(std::move(batch));
        batch = DecodedBatch{};
    };
    Incoming input;
    while (next(input)) {
        batch.inputs.push_back(std::move(input));
        if (static_cast<std::int64_t>(batch.inputs.size()) == batch_events) hand_over();
    }
    if (!batch.inputs.empty()) hand_over();
}

void write_batch(Store& store, const DecodedBatch& batch, AppendTotals& totals, const OnRejected& on_rejected) {
    const AppendResult result = store.append_decoded(batch.inputs, batch.decoded);
    for (std::size_t i = 0; i < batch.inputs.size(); ++i)
        if (result.items[i].outcome == Outcome::rejected) on_rejected(batch.inputs[i], result.items[i]);
    totals.appended += result.appended;
    totals.duplicates += result.duplicates;
    totals.rejected += result.rejected;
}

}  // namespace

AppendTotals append_inputs(Store& store, const NextInput& next, std::int64_t batch_events, Progress& progress,
                           const OnRejected& on_rejected) {
    BatchQueue queue(batches_in_flight_max);
    std::exception_ptr reader_error;
    std::thread reader([&] {
        try {
            read_and_decode(next, batch_events, queue);
        } catch (...) {
            reader_error = std::current_exception();
        }
        queue.finish();
    });
    AppendTotals totals;
    try {
        DecodedBatch batch;
        while (queue.pop(batch)) {
            write_batch(store, batch, totals, on_rejected);
            progress.advance(static_cast<std::int64_t>(batch.inputs.size()));
        }
    } catch (...) {
        queue.abandon();
        reader.join();
        throw;
    }
    reader.join();
    if (reader_error) std::rethrow_exception(reader_error);
    progress.finish();
    return totals;
}

NextInput ndjson_lines(std::istream& in, const std::string& path) {
    return [&in, path, number = std::int64_t{0}](Incoming& next) mutable {
        std::string line;
        while (std::getline(in, line)) {
            ++number;
            if (line.empty()) continue;
            next = Incoming{std::move(line), Source{Source::Kind::file, path, number}};
            return true;
        }
        return false;
    };
}

std::string rejected_line(std::int64_t line, const ItemResult& result) {
    return "line " + std::to_string(line) + ": " + (result.event_id.empty() ? "-" : result.event_id) + ' ' +
           result.rejection->to_string();
}

}  // namespace likvard::cli
