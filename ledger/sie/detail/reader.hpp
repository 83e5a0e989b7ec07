// The SIE reader's state while it goes through a file line by line: the document so far,
// the verification being read, the checksum, and the problems. The record handlers live
// in records.cpp (identification, chart, balances) and verifications.cpp. Internal.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include "sie/detail/fields.hpp"
#include "sie/detail/tokens.hpp"
#include "sie/sie.hpp"

namespace likvard::sie::detail {

// The booked rows' sum; none when it passes what 64 bits of öre hold.
std::optional<Money> checked_sum(const Verification& verification);

class Reader {
public:
    Reader(const ReadOptions& options, ReadResult& result) : options_(options), result_(result) {}

    void read(std::string_view bytes);

    using Handler = void (Reader::*)(const Line&);

private:
    enum class Block { none, expected, open };
    enum class Sum { none, open, closed };

    // reader.cpp: lines, structure, checksum, problems
    void choose_encoding(std::string_view bytes);
    void read_line(std::string_view raw);
    void handle(Line& line);
    void top_level(const Line& line);
    void feed_checksum(const Line& line);
    void ksumma(const Line& line);
    void finish();
    void check_required_records();
    void problem(std::string record, std::string message, std::size_t line);
    void problem(const Line& line, std::string message) { problem(line.label, std::move(message), line_); }
    void note(std::string record, std::string message, std::size_t line);

    // records.cpp
    bool first_time(const Line& line);
    void flagga(const Line& line);
    void format(const Line& line);
    void sietyp(const Line& line);
    void program(const Line& line);
    void gen(const Line& line);
    void prosa(const Line& line);
    void text_record(const Line& line);
    void orgnr(const Line& line);
    void adress(const Line& line);
    void rar(const Line& line);
    void taxar(const Line& line);
    void omfattn(const Line& line);
    void konto(const Line& line);
    void account_detail(const Line& line);
    void dim(const Line& line);
    void underdim(const Line& line);
    void objekt(const Line& line);
    void balance(const Line& line);
    void object_balance(const Line& line);
    void period_balance(const Line& line);
    Account* declared_account(const Line& line, const std::string& number);

    // verifications.cpp
    void ver(const Line& line);
    void row(const Line& line);
    std::optional<TransRow> parse_row(const Line& line);
    void settle_added_row(const TransRow* next);
    void close_block();
    void check_balance(const Verification& verification);
    void check_unique(const Verification& verification);
    void note_repeated_numbers();

public:
    static const std::map<std::string_view, Handler>& handlers();
    static bool is_row(std::string_view label) { return label == "#TRANS" || label == "#RTRANS" || label == "#BTRANS"; }

    // Field access for the handlers: a missing or malformed field is a problem naming it.
    std::optional<std::string_view> text(const Line& line, std::size_t index, std::string_view name);
    std::string_view optional_text(const Line& line, std::size_t index);
    // Where an object list belongs but a program left it out, read it as {} (a note).
    std::optional<std::vector<ObjectRef>> objects(const Line& line, std::size_t index, std::size_t& shift);

    template <typename Parse>
    auto take(const Line& line, std::size_t index, std::string_view name, Parse parse) {
        using Value = typename decltype(parse(std::string_view{}).value)::value_type;
        const auto field = text(line, index, name);
        if (!field) return std::optional<Value>{};
        auto parsed = parse(*field);
        if (!parsed) problem(line, std::string(name) + " " + parsed.error);
        return parsed.value;
    }

    // An optional field: absent or "" leaves `out` empty; a bad value is a problem.
    template <typename Parse, typename Value>
    bool take_optional(const Line& line, std::size_t index, std::string_view name, Parse parse,
                       std::optional<Value>& out) {
        const std::string_view field = optional_text(line, index);
        if (field.empty()) return true;
        auto parsed = parse(field);
        if (!parsed) {
            problem(line, std::string(name) + " " + parsed.error);
            return false;
        }
        out = std::move(*parsed.value);
        return true;
    }

private:
    const ReadOptions& options_;
    ReadResult& result_;
    SieDocument& document() { return result_.document; }
    std::size_t line_ = 0;
    std::size_t first_record_line_ = 0;
    std::string first_record_label_;
    std::map<std::string, std::size_t> single_records_;  // label -> line of its first
    Block block_ = Block::none;
    std::optional<Verification> verification_;  // being read
    bool skip_block_ = false;                   // its #VER was unreadable: the block's rows are passed over
    bool rows_cut_ = false;                     // the verification passed rows_per_verification
    bool added_row_pending_ = false;            // the last row was an #RTRANS awaiting its #TRANS
    // (series, number) -> (line of the first, how many)
    std::map<std::pair<std::string, std::string>, std::pair<std::size_t, std::size_t>> verification_numbers_;
    std::size_t verifications_seen_ = 0;
    Sum sum_ = Sum::none;
    std::size_t sum_opened_line_ = 0;
    bool after_sum_reported_ = false;
    std::uint32_t crc_ = 0;
    std::size_t rows_without_objects_ = 0;
    std::size_t first_row_without_objects_ = 0;
};

}  // namespace likvard::sie::detail
