// SIE 1-4 (the Swedish accounting export format, specification "SIE filformat, utgåva 4B")
// as values: the reader turns a file's bytes into a document and a list of problems, never
// an exception; the writer turns a document into SIE 4E bytes in CP437 with #KSUMMA.
// Import, reconciliation and export build on this model. See ledger/sie/README.md.
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "money/money.hpp"

namespace likvard::sie {

// ---- limits ------------------------------------------------------------------------------

// Every limit of the reader, with its unit. Exceeding one is a problem naming the line.
inline constexpr std::size_t file_bytes_max = 256 * 1024 * 1024;  // 256 MiB
inline constexpr std::size_t line_bytes_max = 64 * 1024;          // one record, raw bytes
inline constexpr std::size_t fields_per_line_max = 64;            // an object list is one field
inline constexpr std::size_t objects_per_row_max = 32;            // dimension/object pairs
inline constexpr std::size_t rows_per_verification_max = 100'000;
inline constexpr std::size_t verifications_max = 5'000'000;
inline constexpr std::size_t problems_kept_max = 1'000;  // the rest are counted only

// The limits one read runs with: the constants above unless a caller (a test) lowers them.
struct Limits {
    std::size_t file_bytes = file_bytes_max;
    std::size_t line_bytes = line_bytes_max;
    std::size_t fields_per_line = fields_per_line_max;
    std::size_t objects_per_row = objects_per_row_max;
    std::size_t rows_per_verification = rows_per_verification_max;
    std::size_t verifications = verifications_max;
    std::size_t problems_kept = problems_kept_max;
};

// ---- the document ------------------------------------------------------------------------

// A calendar date (SIE writes ÅÅÅÅMMDD); always a real date when it comes from the reader.
struct Date {
    int year = 0;
    int month = 0;
    int day = 0;

    std::string iso() const;  // "2021-01-05"
    std::string sie() const;  // "20210105"
    auto operator<=>(const Date&) const = default;
};

// A calendar month (SIE writes ÅÅÅÅMM), the period of #PSALDO and #PBUDGET.
struct Month {
    int year = 0;
    int month = 0;

    std::string iso() const;  // "2021-01"
    std::string sie() const;  // "202101"
    auto operator<=>(const Month&) const = default;
};

// One pair of an object list: {1 "Nord"} is dimension 1, object "Nord".
struct ObjectRef {
    int dimension = 0;
    std::string object;
    auto operator<=>(const ObjectRef&) const = default;
};

// #RAR: fiscal year `index` (0 the current year, -1 the one before, ...).
struct FiscalYear {
    int index = 0;
    Date start;
    Date end;
    std::size_t line = 0;
    bool operator==(const FiscalYear&) const = default;
};

// #KONTO with what #KTYP, #ENHET and #SRU say about the same account.
struct Account {
    std::string number;  // digits, e.g. "1910"
    std::string name;
    std::string type;              // #KTYP: "T", "S", "K", "I", or empty
    std::string unit;              // #ENHET, or empty
    std::vector<std::string> sru;  // #SRU codes
    std::size_t line = 0;
    bool operator==(const Account&) const = default;
};

// #DIM, or #UNDERDIM when `parent` is set.
struct Dimension {
    int number = 0;
    std::string name;
    std::optional<int> parent;
    std::size_t line = 0;
    bool operator==(const Dimension&) const = default;
};

// #OBJEKT: an object (cost centre, project, ...) of a dimension.
struct Object {
    int dimension = 0;
    std::string id;
    std::string name;
    std::size_t line = 0;
    bool operator==(const Object&) const = default;
};

// #IB, #UB, #RES (objects empty) and #OIB, #OUB (one object).
struct Balance {
    int year = 0;
    std::string account;
    std::vector<ObjectRef> objects;
    Money amount;                         // debit positive, credit negative
    std::optional<std::string> quantity;  // a decimal number as written, e.g. "-415" or "12.5"
    std::size_t line = 0;
    bool operator==(const Balance&) const = default;
};

// #PSALDO and #PBUDGET: the change on an account (and objects) in one month.
struct PeriodBalance {
    int year = 0;
    Month period;
    std::string account;
    std::vector<ObjectRef> objects;
    Money amount;
    std::optional<std::string> quantity;
    std::size_t line = 0;
    bool operator==(const PeriodBalance&) const = default;
};

// A row of a verification: #TRANS, or #RTRANS (a row added afterwards) or #BTRANS (a row
// removed afterwards). The #TRANS that follows an #RTRANS for older readers is that
// same row: it is not a row of its own (`companion_line` says where it was).
enum class RowKind { trans, added, removed };

struct TransRow {
    RowKind kind = RowKind::trans;
    std::string account;
    std::vector<ObjectRef> objects;
    Money amount;
    std::optional<Date> date;  // transdat; the verification's date when absent
    std::string text;
    std::optional<std::string> quantity;
    std::string sign;
    std::size_t line = 0;
    std::size_t companion_line = 0;  // #RTRANS only: the line of its #TRANS, 0 when none
    bool operator==(const TransRow&) const = default;

    // Part of the booking: #TRANS and #RTRANS rows, not #BTRANS.
    bool booked() const { return kind != RowKind::removed; }
};

// #VER with its rows.
struct Verification {
    std::string series;  // may be empty in 4I files
    std::string number;  // verno as written; may be empty in 4I files
    Date date;
    std::string text;
    std::optional<Date> registered_on;  // regdatum
    std::string sign;
    std::vector<TransRow> rows;
    std::size_t line = 0;
    // A row that could not be read was left out: the sum says nothing then.
    bool incomplete = false;
    bool operator==(const Verification&) const = default;

    // The booked rows' amounts; 0 in a balanced verification. Throws std::overflow_error
    // past what int64 öre hold, which only a crafted file reaches (the reader reports it).
    Money booked_sum() const;
    // A row's date: its own transdat, else the verification's date (the specification).
    Date date_of(const TransRow& row) const { return row.date.value_or(date); }
};

struct Address {
    std::string contact;
    std::string street;
    std::string postal;
    std::string phone;
    bool operator==(const Address&) const = default;
};

struct SieDocument {
    int flagga = 0;
    std::optional<int> sietyp;  // 1 is the specification's default when absent
    std::string format;         // #FORMAT as written ("PC8"); empty when absent
    std::string program;
    std::string program_version;
    std::optional<Date> generated_on;  // #GEN
    std::string generated_by;
    std::vector<std::string> prosa;
    std::string ftyp;
    std::string fnr;
    std::string orgnr;
    std::string bkod;
    std::optional<Address> address;
    std::string fnamn;
    std::vector<FiscalYear> rar;
    std::optional<int> taxar;
    std::optional<Date> omfattn;
    std::string kptyp;
    std::string valuta;  // ISO 4217; SEK when empty

    std::map<std::string, Account> accounts;  // by number
    std::map<int, Dimension> dimensions;      // by number
    std::map<ObjectRef, Object> objects;      // by (dimension, id)

    std::vector<Balance> ib, ub, oib, oub, res;
    std::vector<PeriodBalance> psaldo, pbudget;
    std::vector<Verification> verifications;  // in file order

    bool operator==(const SieDocument&) const = default;

    int sie_type() const { return sietyp.value_or(1); }
};

// ---- reading -----------------------------------------------------------------------------

enum class Encoding { cp437, latin1, utf8 };

std::string_view encoding_name(Encoding encoding);                  // "cp437", "latin1", "utf-8"
std::optional<Encoding> encoding_from_name(std::string_view name);  // also "pc8", "utf8", "iso-8859-1"

// Something wrong in the file: the line (1-based; 0 for the file as a whole), the record's
// label ("#TRANS", or "" when there is none) and what is wrong, naming the field.
struct Problem {
    std::size_t line = 0;
    std::string record;
    std::string message;
    bool operator==(const Problem&) const = default;
};

enum class Checksum { absent, verified, mismatch, unterminated };

std::string_view checksum_name(Checksum checksum);  // "absent", "verified", "mismatch", "unterminated"

struct ReadOptions {
    std::optional<Encoding> encoding;  // overrides what #FORMAT says
    Limits limits;
};

struct ReadResult {
    SieDocument document;
    Encoding encoding = Encoding::cp437;  // what the text was decoded as
    std::vector<Problem> problems;        // the first limits.problems_kept of them
    std::size_t problems_total = 0;
    // Facts worth telling that are not problems (the encoding was detected, ...).
    std::vector<Problem> notes;
    Checksum checksum = Checksum::absent;
    std::optional<std::uint32_t> checksum_declared;
    std::uint32_t checksum_computed = 0;
    std::map<std::string, std::size_t> unknown_records;  // label -> count, skipped as the spec says
    std::size_t lines = 0;

    bool ok() const { return problems_total == 0; }
};

// Reads SIE 1-4 bytes (CRLF or LF). Never throws for any input (std::bad_alloc aside).
ReadResult read_sie(std::string_view bytes, const ReadOptions& options = {});

// Reads a file, refusing one larger than options.limits.file_bytes before reading it.
// A file that cannot be opened sets `error` (and the result is empty).
struct FileRead {
    std::optional<std::string> error;
    ReadResult result;
};
FileRead read_sie_file(const std::filesystem::path& path, const ReadOptions& options = {});

// ---- figures -----------------------------------------------------------------------------

// Every booked row's amount summed per account, over all verifications (throws
// std::overflow_error past what int64 öre hold).
std::map<std::string, Money> booked_sum_by_account(const SieDocument& document);

// The verifications whose booked rows do not sum to zero (incomplete ones are not judged).
std::vector<const Verification*> unbalanced_verifications(const SieDocument& document);

// ---- writing -----------------------------------------------------------------------------

// SIE 4E bytes in CP437 with CRLF line ends: #FLAGGA 0, #KSUMMA, #PROGRAM, #FORMAT PC8,
// #GEN, #SIETYP 4, the identification records, #RAR, #KONTO/#KTYP/#ENHET/#SRU, #DIM,
// #UNDERDIM, #OBJEKT, the balances, #VER blocks and the closing #KSUMMA. Text CP437 cannot
// hold is written as '?', control characters as spaces. `document.generated_on` is
// required (std::invalid_argument otherwise): the writer reads no clock.
std::string write_sie4(const SieDocument& document);

// CRC-32 as the specification defines it (polynomial EDB88320, preset and inverted).
std::uint32_t crc32(std::string_view bytes, std::uint32_t crc_previous = 0);

}  // namespace likvard::sie
