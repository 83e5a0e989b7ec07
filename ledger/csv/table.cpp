// Reading a CSV table as spreadsheets write it (RFC 4180 with what Excel and LibreOffice
// add): UTF-8 with or without a byte order mark, CRLF or LF, ';' or ',' between fields,
// fields in double quotes that may hold separators, quotes ("") and line breaks.
#include <algorithm>

#include "csv/csv.hpp"

namespace likvard::csv {
namespace {

constexpr std::string_view byte_order_mark = "\xEF\xBB\xBF";

// The length of the UTF-8 sequence at `at`, or 0 when the bytes there are not one.
std::size_t utf8_length(std::string_view text, std::size_t at) {
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
    const unsigned char lead = byte(at);
    if (lead < 0x80) return 1;
    const std::size_t length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC2 ? 2 : 0;
    if (length == 0 || lead > 0xF4 || at + length > text.size()) return 0;
    for (std::size_t i = 1; i < length; ++i)
        if ((byte(at + i) & 0xC0) != 0x80) return 0;
    const unsigned char second = byte(at + 1);
    if ((lead == 0xE0 && second < 0xA0) || (lead == 0xED && second > 0x9F) || (lead == 0xF0 && second < 0x90) ||
        (lead == 0xF4 && second > 0x8F))
        return 0;  // overlong, a surrogate, or beyond U+10FFFF
    return length;
}

// The line of the first byte that is not UTF-8, or 0 when every byte is.
std::int64_t first_invalid_utf8_line(std::string_view text) {
    std::int64_t line = 1;
    for (std::size_t at = 0; at < text.size();) {
        const std::size_t length = utf8_length(text, at);
        if (length == 0) return line;
        if (text[at] == '\n') ++line;
        at += length;
    }
    return 0;
}

char detect_separator(std::string_view text) {
    const std::string_view first_line = text.substr(0, text.find('\n'));
    bool quoted = false;
    std::size_t commas = 0;
    for (char c : first_line) {
        if (c == '"') quoted = !quoted;
        if (!quoted && c == ';') return ';';
        if (!quoted && c == ',') ++commas;
    }
    return commas > 0 ? ',' : ';';
}

std::string trimmed(std::string_view text) {
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string_view::npos) return {};
    return std::string(text.substr(first, text.find_last_not_of(" \t") - first + 1));
}

struct Record {
    std::int64_t line = 0;
    std::vector<std::string> fields;
    std::string text;
};

struct FieldProblem {
    std::size_t record = 0;
    std::size_t field = 0;
    std::int64_t line = 0;
    std::string message;
};

// Splits the text into records; problems name the record and the field they are in.
class Splitter {
public:
    Splitter(std::string_view text, char separator) : text_(text), separator_(separator) {}

    void run() {
        while (at_ < text_.size() && records_.size() <= rows_max + 1) read_record();
    }
    std::vector<Record> records_;
    std::vector<FieldProblem> problems_;

private:
    void read_record() {
        Record record{line_, {}, {}};
        const std::size_t start = at_;
        bool more = true;
        while (more) more = read_field(record);
        std::size_t end = at_;
        while (end > start && (text_[end - 1] == '\n' || text_[end - 1] == '\r')) --end;
        record.text = std::string(text_.substr(start, end - start));
        records_.push_back(std::move(record));
    }

    // Reads one field; false when it ended the record.
    bool read_field(Record& record) {
        std::string field;
        const bool quoted = at_ < text_.size() && text_[at_] == '"';
        if (quoted) {
            read_quoted(record, field);
            if (!at_field_end()) problem(record, "text after the closing quote (write \"\" for a quote inside quotes)");
            while (!at_field_end()) ++at_;
        } else {
            while (!at_field_end()) field += text_[at_++];
        }
        if (field.size() > field_bytes_max)
            problem(record, std::to_string(field.size()) + " bytes, more than the " + std::to_string(field_bytes_max) +
                                " a field may hold");
        record.fields.push_back(quoted ? std::move(field) : trimmed(field));
        if (at_ < text_.size() && text_[at_] == separator_) {
            ++at_;
            return true;
        }
        end_line();
        return false;
    }

    void read_quoted(Record& record, std::string& field) {
        ++at_;
        for (;;) {
            if (at_ >= text_.size()) {
                problem(record, "the quoted field is not closed (a \" is missing)");
                return;
            }
            const char c = text_[at_++];
            if (c == '"' && at_ < text_.size() && text_[at_] == '"') {
                field += '"';
                ++at_;
            } else if (c == '"') {
                return;
            } else {
                if (c == '\n') ++line_;
                field += c;
            }
        }
    }

    bool at_field_end() const {
        return at_ >= text_.size() || text_[at_] == separator_ || text_[at_] == '\n' || text_[at_] == '\r';
    }

    void end_line() {
        if (at_ < text_.size() && text_[at_] == '\r') ++at_;
        if (at_ < text_.size() && text_[at_] == '\n') ++at_;
        ++line_;
    }

    void problem(const Record& record, std::string message) {
        const bool repeated = !problems_.empty() && problems_.back().record == records_.size() &&
                              problems_.back().field == record.fields.size();
        if (!repeated) problems_.push_back({records_.size(), record.fields.size(), record.line, std::move(message)});
    }

    std::string_view text_;
    char separator_;
    std::size_t at_ = 0;
    std::int64_t line_ = 1;
};

bool all_empty(const std::vector<std::string>& fields) {
    return std::all_of(fields.begin(), fields.end(), [](const std::string& f) { return f.empty(); });
}

// Fields past the header's are allowed only when empty (a sheet's trailing separators).
void check_width(const Table& table, const Row& row, std::vector<Problem>& problems) {
    std::size_t used = row.fields.size();
    while (used > table.header.size() && row.fields[used - 1].empty()) --used;
    if (used == table.header.size()) return;
    problems.push_back({row.line, "",
                        std::to_string(used) + " fields, the header row has " + std::to_string(table.header.size()) +
                            " (a separator too many or too few, or a field with a separator that lacks quotes)"});
}

std::string column_name(const Table& table, std::size_t field) {
    if (field < table.header.size()) return table.header[field];
    return "(field " + std::to_string(field + 1) + ")";
}

Table make_table(std::vector<Record>& records, char separator, std::vector<Problem>& problems) {
    Table table;
    table.separator = separator;
    for (auto& name : records.front().fields) table.header.push_back(trimmed(name));
    table.header_text = records.front().text;
    if (table.header.size() > columns_max)
        problems.push_back({records.front().line, "",
                            std::to_string(table.header.size()) + " columns, more than the " +
                                std::to_string(columns_max) + " allowed"});
    for (std::size_t i = 1; i < records.size(); ++i) {
        if (all_empty(records[i].fields)) continue;
        Row row{records[i].line, std::move(records[i].fields), std::move(records[i].text)};
        check_width(table, row, problems);
        row.fields.resize(std::max(row.fields.size(), table.header.size()));
        table.rows.push_back(std::move(row));
    }
    return table;
}

}  // namespace

std::string Problem::to_string() const {
    std::string out = "line " + std::to_string(line);
    if (!column.empty()) out += ", column " + column;
    return out + ": " + message;
}

TableRead read_table(std::string_view bytes, std::optional<char> separator) {
    TableRead read;
    if (bytes.size() > file_bytes_max) {
        read.problems.push_back({0, "",
                                 std::to_string(bytes.size()) + " bytes, more than the " +
                                     std::to_string(file_bytes_max) + " a sheet may have"});
        return read;
    }
    if (bytes.starts_with(byte_order_mark)) bytes.remove_prefix(byte_order_mark.size());
    if (const std::int64_t line = first_invalid_utf8_line(bytes); line > 0) {
        read.problems.push_back({line, "", "not valid UTF-8 (save the sheet as \"CSV UTF-8\")"});
        return read;
    }
    Splitter splitter(bytes, separator.value_or(detect_separator(bytes)));
    splitter.run();
    if (splitter.records_.empty() || all_empty(splitter.records_.front().fields)) {
        read.problems.push_back({1, "", "there is no header row (the first row names the columns)"});
        return read;
    }
    if (splitter.records_.size() > rows_max + 1)
        read.problems.push_back({splitter.records_.back().line, "",
                                 "more than the " + std::to_string(rows_max) + " rows a sheet may have"});
    read.table = make_table(splitter.records_, separator.value_or(detect_separator(bytes)), read.problems);
    for (const auto& p : splitter.problems_)
        read.problems.push_back({p.line, p.record == 0 ? "" : column_name(read.table, p.field), p.message});
    std::stable_sort(read.problems.begin(), read.problems.end(),
                     [](const Problem& a, const Problem& b) { return a.line < b.line; });
    return read;
}

}  // namespace likvard::csv
