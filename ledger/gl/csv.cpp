// The spreadsheet CSV reader of ledger/gl/detail/csv.hpp: one pass over the text, quotes
// may hold ';' and line ends, every record keeps the line it starts on.
#include "gl/detail/csv.hpp"

#include <algorithm>

namespace likvard::gl::detail {
namespace {

constexpr std::string_view byte_order_mark = "\xEF\xBB\xBF";
constexpr char separator = ';';

// The length of the UTF-8 sequence at `i`, or 0 when the bytes there are not valid UTF-8.
std::size_t utf8_length(std::string_view text, std::size_t i) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char lead = byte(i);
    if (lead < 0x80) return 1;
    std::size_t length = lead >= 0xF0 && lead <= 0xF4 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC2 && lead < 0xE0 ? 2 : 0;
    if (lead >= 0xF5) length = 0;
    if (length == 0 || i + length > text.size()) return 0;
    for (std::size_t k = 1; k < length; ++k)
        if ((byte(i + k) & 0xC0) != 0x80) return 0;
    const unsigned char second = byte(i + 1);
    if ((lead == 0xE0 && second < 0xA0) || (lead == 0xED && second >= 0xA0) || (lead == 0xF0 && second < 0x90) ||
        (lead == 0xF4 && second >= 0x90))
        return 0;  // overlong forms, surrogates, past U+10FFFF
    return length;
}

class Reader {
public:
    explicit Reader(std::string_view text) : text_(text) {}

    CsvTable run() {
        if (text_.size() > csv_bytes_max) {
            table_.errors.push_back({0, 0, "the file is larger than " + std::to_string(csv_bytes_max) + " bytes"});
            return table_;
        }
        if (text_.starts_with(byte_order_mark)) pos_ = byte_order_mark.size();
        while (pos_ < text_.size() && table_.errors.empty()) read_record();
        return table_;
    }

private:
    void fail(std::size_t column, std::string message) { table_.errors.push_back({line_, column, std::move(message)}); }

    bool at_line_end() const {
        return text_[pos_] == '\n' || (text_[pos_] == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n');
    }

    void skip_line_end() {
        pos_ += text_[pos_] == '\r' ? 2 : 1;
        ++line_;
    }

    // Appends the character at pos_ (one UTF-8 sequence) to `field`, or fails.
    bool take_character(std::string& field, std::size_t column) {
        const std::size_t length = utf8_length(text_, pos_);
        if (length == 0) return fail(column, "the text is not valid UTF-8 (save the file as UTF-8)"), false;
        field.append(text_.substr(pos_, length));
        pos_ += length;
        return true;
    }

    bool read_quoted(std::string& field, std::size_t column) {
        const std::size_t start_line = line_;
        ++pos_;
        while (pos_ < text_.size()) {
            if (text_[pos_] == '"') {
                if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '"') {
                    field += '"';
                    pos_ += 2;
                    continue;
                }
                ++pos_;
                return true;
            }
            if (text_[pos_] == '\n') ++line_;
            if (!take_character(field, column)) return false;
        }
        line_ = start_line;
        return fail(column, "a quoted field is not closed (a \" is missing)"), false;
    }

    // One field up to ';', a line end or the end of the text.
    bool read_field(std::string& field, std::size_t column) {
        while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t')) ++pos_;
        if (pos_ < text_.size() && text_[pos_] == '"') {
            if (!read_quoted(field, column)) return false;
            while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t')) ++pos_;
            if (pos_ < text_.size() && text_[pos_] != separator && !at_line_end())
                return fail(column, "text after the closing quote of a quoted field"), false;
            return true;
        }
        while (pos_ < text_.size() && text_[pos_] != separator && !at_line_end()) {
            if (text_[pos_] == '"') return fail(column, "a quote inside a field that does not start with one"), false;
            if (!take_character(field, column)) return false;
        }
        field = trimmed(field);
        return true;
    }

    void read_record() {
        CsvRecord record{line_, {}};
        for (;;) {
            if (record.fields.size() == csv_fields_per_record_max)
                return fail(record.fields.size() + 1,
                            "more than " + std::to_string(csv_fields_per_record_max) + " fields in a row");
            std::string field;
            if (!read_field(field, record.fields.size() + 1)) return;
            record.fields.push_back(std::move(field));
            if (pos_ < text_.size() && text_[pos_] == separator) {
                ++pos_;
                continue;
            }
            if (pos_ < text_.size()) skip_line_end();
            break;
        }
        keep(std::move(record));
    }

    void keep(CsvRecord record) {
        if (std::all_of(record.fields.begin(), record.fields.end(), [](const auto& f) { return f.empty(); })) return;
        if (table_.header.empty() && table_.header_line == 0) {
            table_.header = std::move(record.fields);
            table_.header_line = record.line;
            return;
        }
        if (table_.records.size() == csv_records_max)
            return table_.errors.push_back({record.line, 0, "more than " + std::to_string(csv_records_max) + " rows"});
        table_.records.push_back(std::move(record));
    }

    std::string_view text_;
    std::size_t pos_ = 0;
    std::size_t line_ = 1;
    CsvTable table_;
};

}  // namespace

std::string trimmed(std::string_view text) {
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string_view::npos) return {};
    return std::string(text.substr(first, text.find_last_not_of(" \t") - first + 1));
}

CsvTable read_csv(std::string_view text) { return Reader(text).run(); }

}  // namespace likvard::gl::detail
