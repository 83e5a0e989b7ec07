// Internal to store/: the Store's connection, decoder, cached region views, and the rows
// one batch writes.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "store/detail/region_cache.hpp"
#include "store/sql.hpp"
#include "store/store.hpp"

namespace likvard {

// Everything one batch writes, as binary COPY rows per table. Event rows go out to
// `events` as they accumulate, so that the server stores them while the batch is checked.
struct Writes {
    sql::BinaryCopy* events = nullptr;
    sql::BinaryRows event_rows;
    sql::BinaryRows postings;
    sql::BinaryRows rejections;
    sql::BinaryRows periods;
    std::string account;  // the account name of the posting at hand, a reused buffer
};

// A batch of kept rejections sent again: `rejection_ids[i]` is the rejection whose bytes
// are the batch's input i; each is recorded as replayed in the batch's transaction, which
// a dry run rolls back.
struct ReplayMarks {
    const std::vector<std::int64_t>& rejection_ids;
    bool dry_run = false;
};

// Which stored events a batch looks up before it is checked.
enum class Lookup { reversal_targets, every_id };

struct Store::Impl {
    explicit Impl(const std::string& url) : connection(url) { sql::warn_if_privileged(connection); }

    // The append path's retry logic around write_batch (Store::append_decoded's comment).
    AppendResult append_batch(const std::vector<Incoming>& batch, const std::vector<DecodeResult>& decoded,
                              const std::vector<ConsumerOffset>& offsets, const ReplayMarks* replay);
    AppendResult write_batch(const std::vector<Incoming>& batch, const std::vector<DecodeResult>& decoded,
                             const std::set<std::string>& regions, const std::vector<ConsumerOffset>& offsets,
                             Lookup lookup, const ReplayMarks* replay);
    ItemResult admit_one(const Incoming& in, const DecodeResult& decoded, std::map<std::string, Head>& heads,
                         Writes& writes);

    // The decoder loads the event schemas: made on the first append, not for a connection
    // that only reads (a comparison opens several).
    Decoder& decoder() {
        if (!decoder_) decoder_.emplace();
        return *decoder_;
    }

    pqxx::connection connection;
    std::optional<Decoder> decoder_;
    std::map<std::string, CachedRegion> cache;
};

Head read_head(pqxx::work& tx, const std::string& region, std::optional<std::int64_t> as_of_seq = std::nullopt);

}  // namespace likvard
