// The SIE line tokenizer: a small cursor over one line's text.
#include "sie/detail/tokens.hpp"

#include "sie/detail/text.hpp"

namespace likvard::sie::detail {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t'; }

class Cursor {
public:
    Cursor(std::string_view text, const Limits& limits, Line& line) : text_(text), limits_(limits), line_(line) {}

    void run() {
        skip_spaces();
        if (done()) return;
        if (text_[at_] != '#') {
            line_.error = "a record must start with a label such as #VER";
            return;
        }
        line_.label = bare(false);
        while (line_.error.empty()) {
            skip_spaces();
            if (done()) return;
            if (line_.fields.size() == limits_.fields_per_line) {
                line_.error = "has more than " + std::to_string(limits_.fields_per_line) + " fields";
                return;
            }
            line_.fields.push_back(field());
        }
    }

private:
    bool done() const { return at_ >= text_.size(); }

    void skip_spaces() {
        while (!done() && is_space(text_[at_])) ++at_;
    }

    // A tab too: between fields it separates them, inside quotes it is a control character.
    void note(char c) {
        if (is_control(static_cast<unsigned char>(c))) line_.control_characters = true;
    }

    Field field() {
        Field result;
        if (text_[at_] == '{') {
            result.is_list = true;
            result.items = list();
        } else if (text_[at_] == '"') {
            result.quoted = true;
            result.text = quoted();
        } else {
            result.text = bare(false);
        }
        return result;
    }

    // Up to a space (or, inside an object list, a closing brace).
    std::string bare(bool in_list) {
        const std::size_t start = at_;
        while (!done() && !is_space(text_[at_]) && !(in_list && text_[at_] == '}')) note(text_[at_++]);
        return std::string(text_.substr(start, at_ - start));
    }

    std::string quoted() {
        std::string out;
        ++at_;  // the opening quote
        while (!done()) {
            const char c = text_[at_];
            const char next = at_ + 1 < text_.size() ? text_[at_ + 1] : '\0';
            if (c == '"') {
                ++at_;
                return out;
            }
            if (c == '\\' && (next == '"' || next == '\\')) {
                out.push_back(next);
                at_ += 2;
                continue;
            }
            note(c);
            out.push_back(c);
            ++at_;
        }
        line_.error = "a quoted field is not closed with '\"'";
        return out;
    }

    std::vector<std::string> list() {
        std::vector<std::string> items;
        ++at_;  // the opening brace
        const std::size_t items_max = 2 * limits_.objects_per_row;
        while (line_.error.empty()) {
            skip_spaces();
            if (done()) {
                line_.error = "an object list is not closed with '}'";
            } else if (text_[at_] == '}') {
                ++at_;
                return items;
            } else if (text_[at_] == '{') {
                line_.error = "an object list holds another '{'";
            } else if (items.size() == items_max) {
                line_.error = "an object list has more than " + std::to_string(limits_.objects_per_row) + " objects";
            } else {
                items.push_back(text_[at_] == '"' ? quoted() : bare(true));
            }
        }
        return items;
    }

    std::string_view text_;
    const Limits& limits_;
    Line& line_;
    std::size_t at_ = 0;
};

std::string_view trimmed(std::string_view text) {
    while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
    while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
    return text;
}

}  // namespace

Line tokenize(std::string_view text, const Limits& limits) {
    Line line;
    const std::string_view content = trimmed(text);
    if (content.empty()) return line;
    if (content == "{" || content == "}") {
        line.shape = content == "{" ? Shape::open_brace : Shape::close_brace;
        return line;
    }
    line.shape = Shape::record;
    Cursor(text, limits, line).run();
    return line;
}

}  // namespace likvard::sie::detail
