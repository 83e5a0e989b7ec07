// Text forms for PostgreSQL, and the warning for a connection that could bypass the triggers.
#include "store/sql.hpp"

#include <charconv>
#include <iostream>
#include <mutex>
#include <pqxx/tablewriter>
#include <set>
#include <stdexcept>

namespace likvard {

Hash chain_hash(const Hash& prev, std::string_view canonical) {
    std::string buffer;
    buffer.reserve(prev.size() + canonical.size());
    buffer.append(reinterpret_cast<const char*>(prev.data()), prev.size());
    buffer.append(canonical);
    return sha256(buffer);
}

std::string hash_hex(const Hash& hash) { return to_hex(hash.data(), hash.size()); }

namespace sql {

CopyLine& CopyLine::text(std::string_view value) {
    separate();
    for (char c : value) {
        switch (c) {
            case '\\': line_ += "\\\\"; break;
            case '\t': line_ += "\\t"; break;
            case '\n': line_ += "\\n"; break;
            case '\r': line_ += "\\r"; break;
            default: line_ += c;
        }
    }
    return *this;
}

CopyLine& CopyLine::number(std::int64_t value) {
    separate();
    char digits[24];
    const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
    line_.append(digits, end);
    return *this;
}

CopyLine& CopyLine::bytea(std::string_view bytes) {
    static constexpr char hex[] = "0123456789abcdef";
    separate();
    line_ += "\\\\x";  // COPY reads the doubled backslash as the one that starts bytea's hex form
    const std::size_t at = line_.size();
    line_.resize(at + 2 * bytes.size());
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        const auto byte = static_cast<unsigned char>(bytes[i]);
        line_[at + 2 * i] = hex[byte >> 4];
        line_[at + 2 * i + 1] = hex[byte & 0x0f];
    }
    return *this;
}

CopyLine& CopyLine::bytea(const Hash& hash) {
    return bytea(std::string_view(reinterpret_cast<const char*>(hash.data()), hash.size()));
}

CopyLine& CopyLine::null() {
    separate();
    line_ += "\\N";
    return *this;
}

// tablewriter is marked deprecated in libpqxx 6.4 in favour of stream_to, which has no
// way to pass an encoded line; the warning is silenced here and only here.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
struct CopyWriter::Impl {
    Impl(pqxx::work& tx, const std::string& table, const std::vector<std::string>& columns)
        : writer(tx, table, columns.begin(), columns.end()) {}
    pqxx::tablewriter writer;
};
#pragma GCC diagnostic pop

CopyWriter::CopyWriter(pqxx::work& tx, const std::string& table, const std::vector<std::string>& columns)
    : impl_(std::make_unique<Impl>(tx, table, columns)) {}
CopyWriter::~CopyWriter() = default;

void CopyWriter::write(const std::string& encoded_line) { impl_->writer.write_raw_line(encoded_line); }

void CopyWriter::complete() { impl_->writer.complete(); }

std::string shared_cost_events_sql(const std::string& keys, const std::string& where, int region_run_param,
                                   int private_param) {
    const std::string rr = "party = ANY($" + std::to_string(region_run_param) + "::text[])";
    const std::string pr = "party = ANY($" + std::to_string(private_param) + "::text[])";
    auto sum = [](const std::string& condition) { return "coalesce(sum(amount) FILTER (WHERE " + condition + "), 0)"; };
    // The predicate of the partial index, word for word, so that the planner may use it.
    return "SELECT " + keys + ", substr(min(item), 13), " + sum("account_class = 'expense' AND " + rr) + ", " +
           sum("account_class = 'expense' AND " + pr) + ", " + sum("account_class = 'expense'") + ", " +
           sum("account_class = 'benefit' AND " + rr) + ", " + sum("account_class = 'benefit' AND " + pr) +
           " FROM ledger.postings WHERE " + where +
           " AND account_class IN ('expense', 'benefit') AND item LIKE 'shared\\_cost.%' GROUP BY " + keys +
           " ORDER BY seq";
}

std::vector<SharedCostPart> shared_cost_parts(const pqxx::row& row, int first) {
    const auto ore = [&](int offset) {
        return summed_money(row[first + offset], [&] {
            return "the shared-cost postings of event seq " + std::string(row[0].c_str()) + " (service " +
                   row[first - 1].c_str() + ")";
        });
    };
    const Money paid_region_run = ore(0), paid_private = ore(1), paid = ore(2);
    return {
        {true, Side::region_run, paid_region_run},
        {true, Side::private_provider, paid_private},
        {true, Side::external, paid - paid_region_run - paid_private},
        {false, Side::region_run, ore(3)},
        {false, Side::private_provider, ore(4)},
    };
}

AccountParts split_account(std::string_view account) {
    const auto party_end = account.find(':');
    const auto class_end = party_end == std::string_view::npos ? party_end : account.find(':', party_end + 1);
    if (class_end == std::string_view::npos)
        throw std::runtime_error("a stored posting's account is not <party>:<class>:<item>: " + std::string(account));
    return {account.substr(0, party_end), account.substr(party_end + 1, class_end - party_end - 1),
            account.substr(class_end + 1)};
}

std::string array_literal(const std::vector<std::string>& items) {
    std::string out = "{";
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i > 0) out += ',';
        out += items[i];
    }
    return out + "}";
}

std::string from_bytea(const pqxx::field& field) {
    const pqxx::binarystring binary(field);
    return binary.str();
}

Hash hash_from(const pqxx::field& field) {
    const std::string bytes = from_bytea(field);
    if (bytes.size() != 32) throw std::runtime_error("stored hash is not 32 bytes");
    Hash hash{};
    std::copy(bytes.begin(), bytes.end(), hash.begin());
    return hash;
}

std::optional<std::string> privilege_warning(pqxx::connection& connection) {
    pqxx::nontransaction tx(connection);
    const pqxx::row r = tx.exec1(
        "SELECT current_user, r.rolsuper, coalesce(pg_has_role(current_user, c.relowner, 'MEMBER'), false) "
        "FROM pg_roles r LEFT JOIN pg_class c ON c.relname = 'events' AND c.relnamespace = "
        "(SELECT oid FROM pg_namespace WHERE nspname = 'ledger') WHERE r.rolname = current_user");
    const std::string role = r[0].as<std::string>();
    const bool superuser = r[1].as<bool>();
    if (!superuser && !r[2].as<bool>()) return std::nullopt;
    return "warning: connected to the ledger as " + role +
           (superuser ? ", a superuser" : ", the owner of the ledger's tables") +
           ", which can switch off the append-only triggers; connect as " + app_role + ", " + projector_role + " or " +
           reader_role + " (docs/operating.md, \"Roles\"): only likvard migrate needs the owner";
}

void warn_if_privileged(pqxx::connection& connection) {
    static std::mutex mutex;
    static std::set<std::string> warned;  // one line per role
    const std::optional<std::string> warning = privilege_warning(connection);
    if (!warning) return;
    std::lock_guard lock(mutex);
    if (!warned.insert(*warning).second) return;
    std::cerr << "likvard: " << *warning << std::endl;
}

}  // namespace sql
}  // namespace likvard
