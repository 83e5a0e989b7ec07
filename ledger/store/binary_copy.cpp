// COPY in PostgreSQL's binary format: rows encoded without text escaping, numbers,
// uuids, dates and bytea sent as their binary values, which the server stores without
// parsing text. libpqxx 6.4 offers only the text format, so the copy runs on the
// transaction's own libpq connection, between libpqxx's commands.
#include <array>
#include <chrono>
#include <stdexcept>

#include <libpq-fe.h>

#include "store/sql.hpp"

namespace likvard::sql {
namespace {

// PostgreSQL's binary COPY header: signature, flags (none), header extension length (0).
constexpr std::string_view copy_signature{"PGCOPY\n\377\r\n\0", 11};

void put_be(std::string& out, std::uint64_t value, int bytes) {
    for (int shift = 8 * (bytes - 1); shift >= 0; shift -= 8) out += static_cast<char>((value >> shift) & 0xff);
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Throws the libpqxx exception a failed command on this connection would have thrown, so
// that callers tell a known event id (unique_violation) from other failures alike.
[[noreturn]] void throw_copy_error(PGresult* result, const std::string& query) {
    const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
    const std::string sqlstate = state != nullptr ? state : "";
    const std::string message = PQresultErrorMessage(result);
    PQclear(result);
    const char* code = sqlstate.empty() ? nullptr : sqlstate.c_str();
    if (sqlstate == "23505") throw pqxx::unique_violation(message, query, code);
    if (sqlstate == "23514") throw pqxx::check_violation(message, query, code);
    if (sqlstate == "23502") throw pqxx::not_null_violation(message, query, code);
    if (sqlstate.starts_with("23")) throw pqxx::integrity_constraint_violation(message, query, code);
    if (sqlstate.starts_with("22")) throw pqxx::data_exception(message, query, code);
    // 08P01 is a malformed message (a row of the wrong shape); the connection still works.
    if (sqlstate.starts_with("08") && sqlstate != "08P01") throw pqxx::broken_connection(message);
    throw pqxx::sql_error(message, query, code);
}

// libpqxx keeps its connection's libpq handle to itself; its large-object class hands it
// to derived classes, which is the one supported way to reach it.
struct ConnectionOf : pqxx::largeobject {
    static PGconn* get(const pqxx::dbtransaction& tx) { return raw_connection(tx); }
};

}  // namespace

BinaryRows& BinaryRows::row(int fields) {
    put_be(data_, static_cast<std::uint16_t>(fields), 2);
    ++rows_;
    return *this;
}

BinaryRows& BinaryRows::text(std::string_view value) {
    put_be(data_, static_cast<std::uint32_t>(value.size()), 4);
    data_.append(value);
    return *this;
}

BinaryRows& BinaryRows::concatenated(std::initializer_list<std::string_view> parts) {
    std::size_t size = 0;
    for (const auto part : parts) size += part.size();
    put_be(data_, static_cast<std::uint32_t>(size), 4);
    for (const auto part : parts) data_.append(part);
    return *this;
}

BinaryRows& BinaryRows::int64(std::int64_t value) {
    put_be(data_, 8, 4);
    put_be(data_, static_cast<std::uint64_t>(value), 8);
    return *this;
}

BinaryRows& BinaryRows::int32(std::int32_t value) {
    put_be(data_, 4, 4);
    put_be(data_, static_cast<std::uint32_t>(value), 4);
    return *this;
}

BinaryRows& BinaryRows::bytea(std::string_view bytes) { return text(bytes); }

BinaryRows& BinaryRows::bytea(const Hash& hash) {
    return bytea(std::string_view(reinterpret_cast<const char*>(hash.data()), hash.size()));
}

BinaryRows& BinaryRows::uuid(std::string_view text_form) {
    // 8-4-4-4-12 hex digits, as the event schemas require of every id.
    std::array<char, 16> bytes{};
    std::size_t out = 0;
    bool ok = text_form.size() == 36;
    for (std::size_t i = 0; ok && i < text_form.size(); ++i) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            ok = text_form[i] == '-';
            continue;
        }
        const int high = hex_value(text_form[i]), low = i + 1 < text_form.size() ? hex_value(text_form[i + 1]) : -1;
        ok = high >= 0 && low >= 0;
        if (ok) bytes[out++] = static_cast<char>(high << 4 | low);
        ++i;
    }
    if (!ok || out != bytes.size())
        throw std::invalid_argument("not a uuid of the form 8-4-4-4-12 hex digits: \"" + std::string(text_form) + "\"");
    return text(std::string_view(bytes.data(), bytes.size()));
}

BinaryRows& BinaryRows::date(std::string_view yyyy_mm_dd) {
    // Days since 2000-01-01, PostgreSQL's epoch for dates.
    using namespace std::chrono;
    const auto digits = [&](std::size_t at, std::size_t n) {
        int value = 0;
        for (std::size_t i = at; i < at + n; ++i) {
            if (yyyy_mm_dd[i] < '0' || yyyy_mm_dd[i] > '9') return -1;
            value = value * 10 + (yyyy_mm_dd[i] - '0');
        }
        return value;
    };
    const bool shaped = yyyy_mm_dd.size() == 10 && yyyy_mm_dd[4] == '-' && yyyy_mm_dd[7] == '-';
    const year_month_day day{year{shaped ? digits(0, 4) : -1}, month{static_cast<unsigned>(shaped ? digits(5, 2) : 0)},
                             std::chrono::day{static_cast<unsigned>(shaped ? digits(8, 2) : 0)}};
    if (!shaped || !day.ok() || day.year() < year{1})  // no year 0, as PostgreSQL's date input
        throw std::invalid_argument("not a calendar date YYYY-MM-DD: \"" + std::string(yyyy_mm_dd) + "\"");
    const auto days = (sys_days{day} - sys_days{year{2000} / January / 1}).count();
    put_be(data_, 4, 4);
    put_be(data_, static_cast<std::uint32_t>(static_cast<std::int32_t>(days)), 4);
    return *this;
}

BinaryRows& BinaryRows::null() {
    put_be(data_, 0xffffffffu, 4);  // length -1
    return *this;
}

BinaryCopy::BinaryCopy(pqxx::dbtransaction& tx, const std::string& table, const std::vector<std::string>& columns)
    : connection_(ConnectionOf::get(tx)) {
    query_ = "COPY " + table + " (";
    for (std::size_t i = 0; i < columns.size(); ++i) query_ += (i > 0 ? ", " : "") + columns[i];
    query_ += ") FROM STDIN (FORMAT binary)";
    PGresult* result = PQexec(connection_, query_.c_str());
    if (result == nullptr) throw pqxx::broken_connection(PQerrorMessage(connection_));
    if (PQresultStatus(result) != PGRES_COPY_IN) throw_copy_error(result, query_);
    PQclear(result);
    active_ = true;
    std::string header(copy_signature);
    put_be(header, 0, 4);  // flags
    put_be(header, 0, 4);  // header extension length
    put(header);
}

BinaryCopy::~BinaryCopy() {
    if (!active_) return;
    // Left unfinished (an exception on the way): end the copy as failed so that the
    // connection is usable again; the transaction then rolls back.
    PQputCopyEnd(connection_, "the copy was abandoned by the ledger's writer");
    while (PGresult* result = PQgetResult(connection_)) PQclear(result);
}

void BinaryCopy::put(std::string_view bytes) {
    if (bytes.empty()) return;
    if (PQputCopyData(connection_, bytes.data(), static_cast<int>(bytes.size())) != 1)
        throw pqxx::broken_connection("sending COPY data: " + std::string(PQerrorMessage(connection_)));
}

void BinaryCopy::send(BinaryRows& rows) {
    put(rows.bytes());
    rows.clear();
}

void BinaryCopy::complete() {
    std::string trailer;
    put_be(trailer, 0xffff, 2);  // field count -1: the end of the data
    put(trailer);
    active_ = false;
    if (PQputCopyEnd(connection_, nullptr) != 1)
        throw pqxx::broken_connection("ending COPY: " + std::string(PQerrorMessage(connection_)));
    PGresult* failed = nullptr;
    while (PGresult* result = PQgetResult(connection_)) {
        if (PQresultStatus(result) != PGRES_COMMAND_OK && failed == nullptr)
            failed = result;
        else
            PQclear(result);
    }
    if (failed != nullptr) throw_copy_error(failed, query_);
}

}  // namespace likvard::sql
