// The API's shared state: the connection pool, the statement cache, and the parameter
// checks every handler uses, so one parameter is checked and named the same way everywhere.
#include <regex>
#include <string_view>

#include "http/detail/context.hpp"
#include "money/money.hpp"

namespace likvard::http::detail {

StorePool::StorePool(std::string url, std::size_t size, std::chrono::milliseconds wait)
    : url_(std::move(url)), size_(std::max<std::size_t>(1, size)), wait_(wait) {}
StorePool::~StorePool() = default;

StorePool::Lease::Lease(StorePool& pool, std::unique_ptr<Store> store) : pool_(pool), store_(std::move(store)) {}

StorePool::Lease::~Lease() {
    // A connection the server dropped is not given back: the next lease opens a new one.
    if (store_ && !store_->connected()) store_.reset();
    pool_.give_back(std::move(store_));
}

StorePool::Lease StorePool::acquire() {
    std::unique_lock lock(mutex_);
    if (!freed_.wait_for(lock, wait_, [&] { return !idle_.empty() || leased_ < size_; }))
        throw ProblemError(problem_of("database-busy", "no database connection became free in time"));
    ++leased_;
    if (!idle_.empty()) {
        auto store = std::move(idle_.back());
        idle_.pop_back();
        return Lease(*this, std::move(store));
    }
    lock.unlock();
    try {
        return Lease(*this, std::make_unique<Store>(url_));
    } catch (...) {
        give_back(nullptr);
        throw ProblemError(problem_of("database-unavailable", "the database cannot be reached"));
    }
}

void StorePool::give_back(std::unique_ptr<Store> store) {
    {
        std::lock_guard lock(mutex_);
        --leased_;
        if (store) idle_.push_back(std::move(store));
    }
    freed_.notify_one();
}

std::shared_ptr<const Rendered> StatementCache::find(const std::string& key) {
    std::lock_guard lock(mutex_);
    const auto found = entries_.find(key);
    return found == entries_.end() ? nullptr : found->second;
}

std::size_t StatementCache::bytes_of(const std::string& key, const Rendered& r) {
    return key.size() + r.body.size() + r.content_type.size() + r.etag.size() + r.filename.size();
}

void StatementCache::put(const std::string& key, std::shared_ptr<const Rendered> rendered) {
    const std::size_t size = bytes_of(key, *rendered);
    if (size > bytes_max_) return;
    std::lock_guard lock(mutex_);
    if (entries_.contains(key)) return;  // the same position gives the same bytes
    while (!order_.empty() && (entries_.size() >= entries_max_ || bytes_ + size > bytes_max_)) {
        const auto oldest = entries_.find(order_.front());
        bytes_ -= bytes_of(oldest->first, *oldest->second);
        entries_.erase(oldest);
        order_.pop_front();
    }
    entries_.emplace(key, std::move(rendered));
    order_.push_back(key);
    bytes_ += size;
}

std::size_t StatementCache::entries() {
    std::lock_guard lock(mutex_);
    return entries_.size();
}

std::size_t StatementCache::bytes() {
    std::lock_guard lock(mutex_);
    return bytes_;
}

std::optional<std::int64_t> HeadCache::fresh(const std::string& region) {
    std::lock_guard lock(mutex_);
    const auto found = heads_.find(region);
    if (found == heads_.end()) return std::nullopt;
    Entry& entry = found->second;
    const auto age = std::chrono::steady_clock::now() - entry.read_at;
    if (age < ttl_ || (entry.refreshing && age < 2 * ttl_)) return entry.seq;
    entry.refreshing = true;  // this caller reads it again
    return std::nullopt;
}

void HeadCache::put(const std::string& region, std::int64_t seq) {
    std::lock_guard lock(mutex_);
    if (heads_.size() >= regions_max) heads_.clear();
    heads_[region] = {seq, std::chrono::steady_clock::now(), false};
}

void HeadCache::forget(const std::string& region) {
    std::lock_guard lock(mutex_);
    heads_.erase(region);
}

InFlight::Turn::Turn(InFlight& owner, std::string key, std::shared_ptr<Slot> slot)
    : owner_(owner), key_(std::move(key)), slot_(std::move(slot)) {}

InFlight::Turn::~Turn() {
    slot_->lock.unlock();
    std::lock_guard lock(owner_.mutex_);
    if (--slot_->holders == 0) owner_.keys_.erase(key_);
}

InFlight::Turn InFlight::take(const std::string& key) {
    std::shared_ptr<Slot> slot;
    {
        std::lock_guard lock(mutex_);
        auto& found = keys_[key];
        if (!found) found = std::make_shared<Slot>();
        ++found->holders;
        slot = found;
    }
    slot->lock.lock();
    return Turn(*this, key, std::move(slot));
}

std::size_t InFlight::keys() {
    std::lock_guard lock(mutex_);
    return keys_.size();
}

Context::Context(ApiConfig c, std::shared_ptr<Probe> p)
    : config(std::move(c)),
      probe(std::move(p)),
      pool(config.database_url, config.database_connections, config.database_wait),
      heads(config.head_cache) {}

std::string region_of(const Request& request) {
    const std::string& region = request.path_params.at("region");
    static const std::regex form("[A-Z]{2}-[A-Z0-9]{1,3}");
    if (!std::regex_match(region, form))
        bad_parameter("region", "'" + region + "' is not an ISO 3166-2 code like SE-Z");
    return region;
}

std::optional<std::string> text_param(const Request& request, const std::string& name) {
    const auto found = request.query.find(name);
    if (found == request.query.end()) return std::nullopt;
    return found->second;
}

std::string required_param(const Request& request, const std::string& name) {
    auto value = text_param(request, name);
    if (!value) bad_parameter(name, "is required");
    return *value;
}

std::optional<std::int64_t> integer_param(const Request& request, const std::string& name, std::int64_t min,
                                          std::int64_t max) {
    const auto text = text_param(request, name);
    if (!text) return std::nullopt;
    static const std::regex digits("-?[0-9]{1,18}");
    if (!std::regex_match(*text, digits)) bad_parameter(name, "'" + *text + "' is not an integer");
    const std::int64_t value = std::stoll(*text);
    if (value < min || value > max)
        bad_parameter(name, std::to_string(value) + " is outside " + std::to_string(min) + ".." + std::to_string(max));
    return value;
}

std::optional<std::string> month_param(const Request& request, const std::string& name) {
    auto value = text_param(request, name);
    static const std::regex month("[0-9]{4}-(0[1-9]|1[0-2])");
    if (value && !std::regex_match(*value, month)) bad_parameter(name, "'" + *value + "' is not a month YYYY-MM");
    return value;
}

std::string scheme_value(const std::string& name, const std::string& value) {
    static const std::regex scheme("primary_care|dental_child_youth|foot_care|physiotherapy");
    if (!std::regex_match(value, scheme))
        bad_parameter(name,
                      "'" + value + "' is not a scheme (primary_care, dental_child_youth, foot_care, physiotherapy)");
    return value;
}

void check_month_range(const std::optional<std::string>& from, const std::optional<std::string>& to) {
    if (from && to && *to < *from) bad_parameter("to", *to + " is before from " + *from);
}

void check_months_at_most(const std::string& from, const std::string& to, std::int64_t months_max) {
    const auto index = [](const std::string& month) {
        return std::stoll(month.substr(0, 4)) * 12 + std::stoll(month.substr(5, 2));
    };
    if (index(to) - index(from) + 1 > months_max)
        bad_parameter("to",
                      "the range " + from + ".." + to + " is longer than " + std::to_string(months_max) + " months");
}

Response json_response(const boost::json::value& body, unsigned status) {
    Response response;
    response.status = status;
    response.body = boost::json::serialize(body) + "\n";
    return response;
}

bool none_match_names(const Request& request, const std::string& etag) {
    const auto header = request.headers.find("if-none-match");
    if (header == request.headers.end()) return false;
    const std::string& list = header->second;
    const auto opaque = [](std::string_view tag) { return tag.starts_with("W/") ? tag.substr(2) : tag; };
    for (std::size_t at = 0; at < list.size();) {
        std::size_t end = list.find(',', at);
        if (end == std::string::npos) end = list.size();
        std::string_view tag(list.data() + at, end - at);
        while (!tag.empty() && (tag.front() == ' ' || tag.front() == '\t')) tag.remove_prefix(1);
        while (!tag.empty() && (tag.back() == ' ' || tag.back() == '\t')) tag.remove_suffix(1);
        if (tag == "*" || opaque(tag) == opaque(etag)) return true;
        at = end + 1;
    }
    return false;
}

std::string money_text(std::int64_t ore) { return Money::from_ore(ore).to_string(); }

}  // namespace likvard::http::detail
