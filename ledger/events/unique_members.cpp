// A second, value-less pass over an event's JSON with Boost.JSON's SAX parser: the parser
// that builds values keeps the last of two equal names silently, so it cannot tell.
#include "events/detail/unique_members.hpp"

#include <set>
#include <vector>

#include <boost/json/basic_parser_impl.hpp>

namespace likvard {
namespace {

namespace json = boost::json;

// One open object or array, and where in it the parser is.
struct Frame {
    bool object = false;
    std::set<std::string, std::less<>> names;  // objects: the names seen so far
    std::string name;                          // objects: the member being read
    std::size_t index = 0;                     // arrays: the element being read
    std::size_t elements = 0;                  // arrays: elements begun so far
};

// RFC 6901: '~' is written "~0" and '/' "~1" in a JSON Pointer token.
void append_token(std::string& pointer, std::string_view token) {
    pointer += '/';
    for (const char c : token) {
        if (c == '~')
            pointer += "~0";
        else if (c == '/')
            pointer += "~1";
        else
            pointer += c;
    }
}

class Handler {
public:
    static constexpr std::size_t max_object_size = std::size_t(-1);
    static constexpr std::size_t max_array_size = std::size_t(-1);
    static constexpr std::size_t max_key_size = std::size_t(-1);
    static constexpr std::size_t max_string_size = std::size_t(-1);

    std::optional<std::string> repeated;

    bool on_document_begin(json::error_code&) { return true; }
    bool on_document_end(json::error_code&) { return true; }
    bool on_object_begin(json::error_code&) { return open(true); }
    bool on_object_end(std::size_t, json::error_code&) { return close(); }
    bool on_array_begin(json::error_code&) { return open(false); }
    bool on_array_end(std::size_t, json::error_code&) { return close(); }
    bool on_key_part(json::string_view s, std::size_t, json::error_code&) { return key_ += s, true; }
    bool on_key(json::string_view s, std::size_t, json::error_code& ec) {
        key_ += s;
        Frame& frame = frames_.back();
        frame.name = std::move(key_);
        key_.clear();
        if (frame.names.insert(frame.name).second) return true;
        repeated = pointer();
        ec = json::error::syntax;  // stops the parse; `repeated` says why
        return false;
    }
    bool on_string_part(json::string_view, std::size_t, json::error_code&) { return true; }
    bool on_string(json::string_view, std::size_t, json::error_code&) { return scalar(); }
    bool on_number_part(json::string_view, json::error_code&) { return true; }
    bool on_int64(std::int64_t, json::string_view, json::error_code&) { return scalar(); }
    bool on_uint64(std::uint64_t, json::string_view, json::error_code&) { return scalar(); }
    bool on_double(double, json::string_view, json::error_code&) { return scalar(); }
    bool on_bool(bool, json::error_code&) { return scalar(); }
    bool on_null(json::error_code&) { return scalar(); }
    bool on_comment_part(json::string_view, json::error_code&) { return true; }
    bool on_comment(json::string_view, json::error_code&) { return true; }

private:
    // A value begins: inside an array it is the next element.
    void begin_value() {
        if (!frames_.empty() && !frames_.back().object) frames_.back().index = frames_.back().elements++;
    }
    bool scalar() { return begin_value(), true; }
    bool open(bool object) {
        begin_value();
        frames_.push_back(Frame{object, {}, {}, 0, 0});
        return true;
    }
    bool close() { return frames_.pop_back(), true; }

    std::string pointer() const {
        std::string out;
        for (const Frame& frame : frames_) {
            if (frame.object)
                append_token(out, frame.name);
            else
                append_token(out, std::to_string(frame.index));
        }
        return out;
    }

    std::vector<Frame> frames_;
    std::string key_;
};

}  // namespace

std::optional<std::string> repeated_member(std::string_view bytes, unsigned depth_max) {
    json::parse_options options;
    options.max_depth = depth_max;
    json::basic_parser<Handler> parser(options);
    json::error_code ec;
    parser.write_some(false, bytes.data(), bytes.size(), ec);
    return parser.handler().repeated;
}

}  // namespace likvard
