// Internal to store/: small helpers between C++ values and PostgreSQL text forms, and a
// nullable text field that libpqxx's COPY stream (stream_to) writes as \N when empty.
#pragma once

#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <pqxx/pqxx>

#include "store/store.hpp"

namespace likvard::sql {

// A read that every statement runs, prepared on its connection the first time and then
// only bound and executed: PostgreSQL parses it once per connection (a connection serves
// many statements in the HTTP API and several regions in a comparison). The same name with
// the same definition is prepared once; libpqxx refuses a second, different definition.
// A transaction that sets plan_cache_mode = force_generic_plan also plans it once: the
// reads name the region, scheme and months as parameters, and their plan (the primary
// key's range, one partition of the ledger pruned to when it runs) is the same for every
// value, while planning them anew for each region cost more than running them.
template <typename... Args>
pqxx::result prepared(pqxx::transaction_base& tx, const std::string& name, const std::string& definition,
                      Args&&... args) {
    tx.conn().prepare(name, definition);
    return tx.exec_prepared(name, std::forward<Args>(args)...);
}

// One line of COPY text format, encoded once into a reused buffer: fields separated by
// tabs, backslash escapes for the characters COPY gives meaning to, \N for NULL.
class CopyLine {
public:
    CopyLine& text(std::string_view value);
    CopyLine& optional_text(const std::optional<std::string>& value) { return value ? text(*value) : null(); }
    CopyLine& number(std::int64_t value);
    CopyLine& bytea(std::string_view bytes);  // hex input form, \\x...
    CopyLine& bytea(const Hash& hash);
    CopyLine& null();
    const std::string& str() const { return line_; }
    void clear() { line_.clear(); }

private:
    void separate() {
        if (!line_.empty()) line_ += '\t';
    }
    std::string line_;
};

// A COPY into one table of the current transaction, fed whole encoded lines. libpqxx 6.4's
// stream_to renders every field through temporary strings (three allocations a field);
// its tablewriter takes a line encoded once, which keeps the append path near raw COPY.
class CopyWriter {
public:
    CopyWriter(pqxx::work& tx, const std::string& table, const std::vector<std::string>& columns);
    ~CopyWriter();
    void write(const std::string& encoded_line);
    void complete();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Rows in PostgreSQL's binary COPY format, encoded into one growing buffer (no allocation
// per row). Each row starts with row(n) and then has exactly n fields in the table's
// column order, each of the column's own type: int64 for bigint, int32 for integer.
class BinaryRows {
public:
    BinaryRows& row(int fields);
    BinaryRows& text(std::string_view value);
    BinaryRows& optional_text(const std::optional<std::string>& value) { return value ? text(*value) : null(); }
    BinaryRows& concatenated(std::initializer_list<std::string_view> parts);  // one text field
    BinaryRows& int64(std::int64_t value);
    BinaryRows& int32(std::int32_t value);
    BinaryRows& bytea(std::string_view bytes);
    BinaryRows& bytea(const Hash& hash);
    BinaryRows& uuid(std::string_view text_form);   // 8-4-4-4-12 hex digits; throws otherwise
    BinaryRows& date(std::string_view yyyy_mm_dd);  // a calendar date from year 1; throws otherwise
    BinaryRows& null();

    std::size_t rows() const { return rows_; }
    std::string_view bytes() const { return data_; }
    void clear() {
        data_.clear();
        rows_ = 0;
    }

private:
    std::string data_;
    std::size_t rows_ = 0;
};

// COPY ... FROM STDIN (FORMAT binary) into one table of the current transaction: the
// server stores the values without parsing text. Sent rows may be followed by more;
// complete() ends the copy and throws what libpqxx would (unique_violation for a known
// key). Nothing else may use the transaction until then; destroyed unfinished, the copy
// fails and with it the transaction.
class BinaryCopy {
public:
    BinaryCopy(pqxx::dbtransaction& tx, const std::string& table, const std::vector<std::string>& columns);
    ~BinaryCopy();
    BinaryCopy(const BinaryCopy&) = delete;
    BinaryCopy& operator=(const BinaryCopy&) = delete;
    void send(BinaryRows& rows);  // sends and clears them
    void complete();

private:
    void put(std::string_view bytes);
    pqxx::internal::pq::PGconn* connection_;
    std::string query_;
    bool active_ = false;
};

// Shared-cost events, one row per event in seq order, read from the index
// postings_shared_cost alone: the columns `keys` (they must include seq), the service, then
// what the region-run parties (the text[] parameter number `region_run_param`) and the
// private ones (`private_param`) paid, what everyone paid, and what the two sides received.
// `where` selects the postings (region, seq range, ...). shared_cost_parts reads such a
// row, from column `first` (the one after the service), as cross_subsidy_of_event's input.
std::string shared_cost_events_sql(const std::string& keys, const std::string& where, int region_run_param,
                                   int private_param);
std::vector<SharedCostPart> shared_cost_parts(const pqxx::row& row, int first);

// A stored account `<party>:<class>:<item>` in its three parts (party ids and classes have
// no ':'; an item may). Throws if the text is not such an account.
struct AccountParts {
    std::string_view party, account_class, item;
};
AccountParts split_account(std::string_view account);

// A sum PostgreSQL computed (numeric, from bigint öre) as Money; past int64 it is a
// MoneyOverflow naming what() (the party and account), called only then.
template <class What>
Money summed_money(const pqxx::field& field, What&& what) {
    constexpr std::size_t int64_safe_chars = 18;  // "-" and 17 digits, or 18 digits
    if (std::string_view(field.c_str()).size() <= int64_safe_chars) return Money::from_ore(field.as<std::int64_t>());
    return money_from_sum_text(field.c_str(), what());
}

// The regions that have events, ascending (a loose index scan of ledger.events).
std::vector<std::string> regions(pqxx::transaction_base& tx);

std::string array_literal(const std::vector<std::string>& items);  // {a,b,c}; items must need no quoting
std::string from_bytea(const pqxx::field& field);
Hash hash_from(const pqxx::field& field);

// The login roles of the programs (docs/operating.md, "Roles"), which `likvard migrate`
// creates: they own nothing and are granted only what their programs do.
inline constexpr const char* app_role = "likvard_app";              // appends
inline constexpr const char* projector_role = "likvard_projector";  // writes the projections
inline constexpr const char* reader_role = "likvard_reader";        // reads
inline constexpr const char* program_roles[] = {app_role, projector_role, reader_role};

// When the connection's role could change the ledger behind the append-only triggers' back
// (a superuser, or a member of the role that owns ledger.events), a warning naming it;
// nullopt for a role that cannot.
std::optional<std::string> privilege_warning(pqxx::connection& connection);
// Writes that warning to stderr, once per process and role: the programs go on (an operator
// may need the owner in a pinch), but nobody runs as the owner without being told.
void warn_if_privileged(pqxx::connection& connection);

}  // namespace likvard::sql
