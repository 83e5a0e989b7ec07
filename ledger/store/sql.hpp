// Internal to store/: small helpers between C++ values and PostgreSQL text forms, and a
// nullable text field that libpqxx's COPY stream (stream_to) writes as \N when empty.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <pqxx/pqxx>

#include "store/store.hpp"

namespace likvard::sql {

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

// The regions that have events, ascending (a loose index scan of ledger.events).
std::vector<std::string> regions(pqxx::transaction_base& tx);

std::string array_literal(const std::vector<std::string>& items);  // {a,b,c}; items must need no quoting
std::string from_bytea(const pqxx::field& field);
Hash hash_from(const pqxx::field& field);

// The connection acts as likvard_app for everything it writes (INSERT/SELECT only on the ledger).
void act_as_app_role(pqxx::connection& connection);
inline constexpr const char* app_role = "likvard_app";

}  // namespace likvard::sql

