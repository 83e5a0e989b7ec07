// The SIE reader: the character set, the file's lines, the structure of #VER blocks, the
// #KSUMMA checksum and the problems. Record contents are read in records.cpp and
// verifications.cpp.
#include "sie/detail/reader.hpp"

#include "sie/detail/text.hpp"

namespace likvard::sie::detail {
namespace {

constexpr std::string_view utf8_bom = "\xEF\xBB\xBF";
constexpr std::string_view utf8_replacement = "\xEF\xBF\xBD";
constexpr char dos_end_of_file = '\x1A';

void controls_to_spaces(Line& line) {
    const auto blank = [](std::string& text) {
        for (char& c : text) c = is_control(static_cast<unsigned char>(c)) ? ' ' : c;
    };
    for (Field& field : line.fields) {
        blank(field.text);
        for (std::string& item : field.items) blank(item);
    }
}

std::size_t line_of(std::string_view bytes, std::size_t offset) {
    std::size_t line = 1;
    for (std::size_t i = 0; i < offset && i < bytes.size(); ++i) line += bytes[i] == '\n';
    return line;
}

// The first field of the first #FORMAT record and its line (only ASCII matters here).
std::pair<std::string, std::size_t> format_record(std::string_view bytes, const Limits& limits) {
    std::size_t line = 0;
    for (std::size_t at = 0; at < bytes.size();) {
        const std::size_t end = std::min(bytes.find('\n', at), bytes.size());
        ++line;
        std::string_view raw = bytes.substr(at, std::min(end - at, limits.line_bytes));
        at = end + 1;
        if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
        if (raw.find("#FORMAT") == std::string_view::npos) continue;
        const Line tokens = tokenize(raw, limits);
        if (tokens.label == "#FORMAT") return {tokens.fields.empty() ? "" : tokens.fields[0].text, line};
    }
    return {"", 0};
}

}  // namespace

void Reader::read(std::string_view bytes) {
    if (bytes.size() > options_.limits.file_bytes) {
        problem("",
                "the file is " + std::to_string(bytes.size()) + " bytes, more than the limit of " +
                    std::to_string(options_.limits.file_bytes) + " bytes; it is not read",
                0);
        return;
    }
    while (!bytes.empty() && bytes.back() == dos_end_of_file) bytes.remove_suffix(1);
    const bool bom = bytes.substr(0, utf8_bom.size()) == utf8_bom;
    if (bom) bytes.remove_prefix(utf8_bom.size());
    if (bom && !options_.encoding) {
        result_.encoding = Encoding::utf8;
        note("", "the file starts with a UTF-8 byte order mark; read as UTF-8", 1);
    } else {
        choose_encoding(bytes);
    }
    for (std::size_t at = 0; at < bytes.size();) {
        const std::size_t end = std::min(bytes.find('\n', at), bytes.size());
        std::string_view raw = bytes.substr(at, end - at);
        if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
        read_line(raw);
        at = end + 1;
    }
    finish();
}

void Reader::choose_encoding(std::string_view bytes) {
    if (options_.encoding) {
        result_.encoding = *options_.encoding;
        return;
    }
    const auto [format, line] = format_record(bytes, options_.limits);
    const auto named = encoding_from_name(format);
    if (line == 0)
        note("#FORMAT", "the file has no #FORMAT record; read as PC8 (CP437), the specification's character set", 0);
    else if (!named)
        problem("#FORMAT",
                quoted_for_message(format) +
                    " is not a character set this reader knows (PC8, UTF-8, "
                    "ISO-8859-1); read as PC8 (CP437)",
                line);
    result_.encoding = named.value_or(Encoding::cp437);
    if (result_.encoding == Encoding::cp437 && looks_like_utf8(bytes)) {
        result_.encoding = Encoding::utf8;
        note("#FORMAT",
             "the file says PC8 (CP437) but its bytes are UTF-8; read as UTF-8 (--encoding cp437 reads "
             "it as PC8)",
             line);
    }
    const std::size_t lost = bytes.find(utf8_replacement);
    if (result_.encoding == Encoding::utf8 && lost != std::string_view::npos)
        note("",
             "the file holds U+FFFD replacement characters: the program that wrote it had already lost those "
             "letters",
             line_of(bytes, lost));
}

void Reader::read_line(std::string_view raw) {
    ++line_;
    ++result_.lines;
    if (raw.size() > options_.limits.line_bytes) {
        problem("",
                "the line is " + std::to_string(raw.size()) + " bytes long, more than the limit of " +
                    std::to_string(options_.limits.line_bytes) + " bytes; it is skipped",
                line_);
        if (verification_) verification_->incomplete = true;
        return;
    }
    bool invalid = false;
    Line line = tokenize(decode(raw, result_.encoding, invalid), options_.limits);
    if (invalid) problem(line, "the line is not valid UTF-8; the bad bytes are read as U+FFFD");
    handle(line);
}

void Reader::handle(Line& line) {
    if (line.shape == Shape::blank) return;
    if (line.shape == Shape::record && line.label != "#KSUMMA") feed_checksum(line);
    if (line.shape == Shape::record && first_record_line_ == 0) {
        first_record_line_ = line_;
        first_record_label_ = line.label;
    }
    if (!line.error.empty()) {
        problem(line, line.error + "; the line is skipped");
        if (verification_ && block_ == Block::open) verification_->incomplete = true;
        return;
    }
    if (line.control_characters) {
        problem(line, "a field holds control characters (the specification forbids them); read as spaces");
        controls_to_spaces(line);
    }
    if (block_ == Block::expected && line.shape != Shape::open_brace) {
        problem("#VER", "is not followed by '{' on a line of its own; the verification has no rows",
                verification_->line);
        verification_->incomplete = true;
        close_block();
    }
    if (line.shape == Shape::open_brace) {
        if (block_ == Block::expected)
            block_ = Block::open;
        else
            problem("{", "a '{' without a #VER before it", line_);
    } else if (line.shape == Shape::close_brace) {
        if (block_ == Block::open)
            close_block();
        else
            problem("}", "a '}' without its '{'", line_);
    } else if (block_ == Block::open && is_row(line.label)) {
        row(line);
    } else if (block_ == Block::open && !handlers().contains(line.label)) {
        ++result_.unknown_records[line.label];  // a sub-record of a later version: ignored
    } else {
        if (block_ == Block::open) {
            problem("#VER", "has no closing '}' before line " + std::to_string(line_), verification_->line);
            close_block();
        }
        top_level(line);
    }
}

void Reader::top_level(const Line& line) {
    if (is_row(line.label)) {
        problem(line, "a row outside a verification (rows belong inside #VER { ... })");
        return;
    }
    const auto handler = handlers().find(line.label);
    if (handler == handlers().end()) {
        ++result_.unknown_records[line.label];  // the specification: readers ignore unknown labels
        return;
    }
    (this->*(handler->second))(line);
}

void Reader::feed_checksum(const Line& line) {
    if (sum_ == Sum::closed && !after_sum_reported_) {
        after_sum_reported_ = true;
        problem(line, "a record after the closing #KSUMMA, which the checksum does not cover");
    }
    if (sum_ != Sum::open) return;
    std::string bytes = to_cp437(line.label, false);
    for (const Field& field : line.fields) {
        bytes += to_cp437(field.text, false);
        for (const std::string& item : field.items) bytes += to_cp437(item, false);
    }
    crc_ = crc32(bytes, crc_);
}

void Reader::ksumma(const Line& line) {
    if (line.fields.empty()) {
        if (sum_ == Sum::none) {
            sum_ = Sum::open;
            sum_opened_line_ = line_;
        } else {
            problem(line, "a second opening #KSUMMA (the first is on line " + std::to_string(sum_opened_line_) + ")");
        }
        return;
    }
    if (sum_ != Sum::open) {
        problem(line, sum_ == Sum::none ? "a closing #KSUMMA without the opening #KSUMMA near the file's start"
                                        : "a second closing #KSUMMA");
        return;
    }
    sum_ = Sum::closed;
    result_.checksum_computed = crc_;
    const auto declared = take(line, 0, "checksum", parse_checksum);
    if (!declared) {
        result_.checksum = Checksum::mismatch;
        return;
    }
    result_.checksum_declared = *declared;
    result_.checksum = *declared == crc_ ? Checksum::verified : Checksum::mismatch;
    if (result_.checksum == Checksum::mismatch)
        problem(line, "the checksum " + std::to_string(*declared) + " does not match the records, whose CRC-32 is " +
                          std::to_string(crc_) + ": the file was changed or damaged after it was written");
}

void Reader::finish() {
    if (block_ == Block::expected) {
        problem("#VER", "is the last record: its '{' and rows are missing", verification_->line);
        verification_->incomplete = true;
        close_block();
    } else if (block_ == Block::open) {
        problem("#VER", "has no closing '}' before the end of the file", verification_->line);
        close_block();
    }
    if (sum_ == Sum::open) {
        result_.checksum = Checksum::unterminated;
        result_.checksum_computed = crc_;
        problem("#KSUMMA",
                "opens a checksum on line " + std::to_string(sum_opened_line_) +
                    " but the closing #KSUMMA is missing: the file may be cut short",
                0);
    }
    if (rows_without_objects_ > 0)
        note("#TRANS",
             std::to_string(rows_without_objects_) +
                 " records have no object list where the specification puts one; read as {}",
             first_row_without_objects_);
    note_repeated_numbers();
    check_required_records();
}

void Reader::check_required_records() {
    if (first_record_line_ == 0) {
        problem("", "the file holds no SIE record", 0);
        return;
    }
    if (first_record_label_ != "#FLAGGA")
        problem(first_record_label_, "is the first record; every SIE file starts with #FLAGGA", first_record_line_);
    for (const char* label : {"#PROGRAM", "#GEN", "#FNAMN"})
        if (!single_records_.contains(label)) problem(label, std::string("is missing: every SIE file has one"), 0);
}

void Reader::problem(std::string record, std::string message, std::size_t line) {
    ++result_.problems_total;
    if (result_.problems.size() < options_.limits.problems_kept)
        result_.problems.push_back({line, std::move(record), std::move(message)});
}

void Reader::note(std::string record, std::string message, std::size_t line) {
    if (result_.notes.size() < options_.limits.problems_kept)
        result_.notes.push_back({line, std::move(record), std::move(message)});
}

}  // namespace likvard::sie::detail

namespace likvard::sie {

ReadResult read_sie(std::string_view bytes, const ReadOptions& options) {
    ReadResult result;
    detail::Reader(options, result).read(bytes);
    return result;
}

}  // namespace likvard::sie
