// Internal: what the API's handlers share (the PostgreSQL connection pool, the statement
// cache, the probe, the projection runner's last report) and the helpers that check
// parameters the same way in every handler.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>

#include <boost/json.hpp>

#include "http/http.hpp"
#include "store/store.hpp"

namespace likvard::http::detail {

// A bounded pool of Store connections (Store is not thread-safe: one handler at a time).
class StorePool {
public:
    StorePool(std::string url, std::size_t size, std::chrono::milliseconds wait);
    ~StorePool();

    class Lease {
    public:
        Lease(StorePool& pool, std::unique_ptr<Store> store);
        ~Lease();  // returns the connection, unless it is broken
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        Store& operator*() { return *store_; }
        Store* operator->() { return store_.get(); }

    private:
        StorePool& pool_;
        std::unique_ptr<Store> store_;
    };
    // Waits at most `wait` for a free connection, else ProblemError 503.
    Lease acquire();

private:
    void give_back(std::unique_ptr<Store> store);
    std::string url_;
    std::size_t size_;
    std::chrono::milliseconds wait_;
    std::mutex mutex_;
    std::condition_variable freed_;
    std::vector<std::unique_ptr<Store>> idle_;
    std::size_t leased_ = 0;
};

// Rendered statements by (statement, region, scheme, from, to, as_of_seq, format, table):
// the same position gives the same bytes, so a hit needs only the head's seq.
struct Rendered {
    std::string body;
    std::string content_type;
    std::string etag;
    std::string filename;  // csv and xlsx: Content-Disposition
};

inline constexpr std::size_t statement_cache_entries_max = 256;
inline constexpr std::size_t statement_cache_bytes_max = 64 * 1024 * 1024;

// Bounded in entries and in bytes (a 120-month statement of many parties is large); the
// oldest go first, and a statement larger than the whole bound is not kept.
class StatementCache {
public:
    explicit StatementCache(std::size_t entries_max = statement_cache_entries_max,
                            std::size_t bytes_max = statement_cache_bytes_max)
        : entries_max_(entries_max), bytes_max_(bytes_max) {}
    std::shared_ptr<const Rendered> find(const std::string& key);
    void put(const std::string& key, std::shared_ptr<const Rendered> rendered);  // a key kept already stays
    std::size_t entries();
    std::size_t bytes();

private:
    static std::size_t bytes_of(const std::string& key, const Rendered& rendered);
    std::size_t entries_max_;
    std::size_t bytes_max_;
    std::mutex mutex_;
    std::map<std::string, std::shared_ptr<const Rendered>> entries_;
    std::deque<std::string> order_;  // the keys, oldest first
    std::size_t bytes_ = 0;
};

// Each region's head seq as last read, so that a statement at the head needs no round trip
// to PostgreSQL when it was read less than `ttl` ago. When it expires, one caller reads it
// again while the others go on with the old value (for at most another ttl), so the
// requests in flight do not all queue for PostgreSQL at once.
class HeadCache {
public:
    explicit HeadCache(std::chrono::milliseconds ttl) : ttl_(ttl) {}
    std::optional<std::int64_t> fresh(const std::string& region);  // nullopt: read it and put()
    void put(const std::string& region, std::int64_t seq);
    void forget(const std::string& region);

private:
    struct Entry {
        std::int64_t seq = 0;
        std::chrono::steady_clock::time_point read_at;
        bool refreshing = false;
    };
    static constexpr std::size_t regions_max = 1'000;
    std::chrono::milliseconds ttl_;
    std::mutex mutex_;
    std::map<std::string, Entry> heads_;
};

// One computation per statement key at a time: the others wait for their turn, then read
// the cache, or compute it themselves when the one before them failed. A key is forgotten
// when its last turn ends, whether the computation returned or threw.
class InFlight {
    struct Slot {
        std::mutex lock;
        std::size_t holders = 0;  // turns taken or waited for, under InFlight::mutex_
    };

public:
    class Turn {
    public:
        ~Turn();
        Turn(const Turn&) = delete;
        Turn& operator=(const Turn&) = delete;

    private:
        friend class InFlight;
        Turn(InFlight& owner, std::string key, std::shared_ptr<Slot> slot);
        InFlight& owner_;
        std::string key_;
        std::shared_ptr<Slot> slot_;
    };
    Turn take(const std::string& key);  // waits while another turn holds the key
    std::size_t keys();                 // keys with a turn taken or waited for

private:
    std::mutex mutex_;
    std::map<std::string, std::shared_ptr<Slot>> keys_;
};

// `to` is at most `months_max` months after `from` (both counted), else 400 naming `to`.
void check_months_at_most(const std::string& from, const std::string& to, std::int64_t months_max);

struct Context {
    Context(ApiConfig c, std::shared_ptr<Probe> p);
    ApiConfig config;
    std::shared_ptr<Probe> probe;
    StorePool pool;
    StatementCache statements;
    HeadCache heads;
    InFlight computing;
    std::mutex projections_mutex;
    std::optional<std::vector<ProjectionLag>> projections;  // nullopt: no runner has reported
    std::string projection_error;
    std::mutex broker_mutex;
    std::optional<BrokerReading> broker;  // nullopt: no reading yet
};
using ContextPtr = std::shared_ptr<Context>;

// ---- the ingest lag (ingest_lag.cpp): the offsets table against the brokers ----
struct StoredOffset {
    std::string consumer_group;
    std::string topic;
    std::int32_t partition = 0;
    std::int64_t offset_next = 0;
};
struct PartitionLag {
    std::string consumer_group;
    std::string topic;
    std::int32_t partition = 0;
    std::optional<std::int64_t> offset_next;     // nullopt: the group stored none (it starts at the log's start)
    std::optional<std::int64_t> high_watermark;  // nullopt: the brokers were not read
    std::optional<std::int64_t> lag;             // messages in Kafka not yet in the ledger
};
enum class BrokerState { not_configured, up, down };
std::string_view broker_state_name(BrokerState state);
// The state of the brokers, and the reading when they are up (reachable and fresh).
std::pair<BrokerState, std::optional<BrokerReading>> broker_now(Context& context);
// Every stored offset with the broker's figures when there are any, and the partitions a
// group stores offsets for in a topic but not for that partition (lag from the log's start).
std::vector<PartitionLag> ingest_lags(const std::vector<StoredOffset>& stored,
                                      const std::optional<BrokerReading>& broker);
std::vector<StoredOffset> stored_offsets(Store& store);

void add_operation_routes(Router& router, const ContextPtr& context);  // healthz, readyz, metrics
void add_statement_routes(Router& router, const ContextPtr& context);
void add_overview_routes(Router& router, const ContextPtr& context);   // region summary, comparison of regions
void add_figure_routes(Router& router, const ContextPtr& context);     // a statement figure's drill-down
void add_ledger_routes(Router& router, const ContextPtr& context);     // parties ... head
void add_event_routes(Router& router, const ContextPtr& context);      // POST /v1/events
void add_dashboard_routes(Router& router, const ContextPtr& context);  // commitments/monthly, ingestion
void add_static_routes(Router& router);                                // GET /, /assets/{path*}

// ---- parameters, checked alike everywhere (400 naming the parameter) ----
std::string region_of(const Request& request);  // {region}: an ISO 3166-2 code like SE-Z
std::optional<std::string> text_param(const Request& request, const std::string& name);
std::string required_param(const Request& request, const std::string& name);
std::optional<std::int64_t> integer_param(const Request& request, const std::string& name, std::int64_t min,
                                          std::int64_t max);
std::optional<std::string> month_param(const Request& request, const std::string& name);  // YYYY-MM
std::string scheme_value(const std::string& name, const std::string& value);
void check_month_range(const std::optional<std::string>& from, const std::optional<std::string>& to);

Response json_response(const boost::json::value& body, unsigned status = 200);
// Whether the request's If-None-Match names `etag` (or is "*"): a list of entity tags,
// compared weakly (W/ ignored), as a GET's 304 Not Modified needs (RFC 9110, 13.1.2).
bool none_match_names(const Request& request, const std::string& etag);
std::string money_text(std::int64_t ore);  // "123.40"

}  // namespace likvard::http::detail
