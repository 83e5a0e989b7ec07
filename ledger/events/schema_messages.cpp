// Human-readable schema errors. The schema decides what is valid; this file only explains,
// using the money and decimal parsers to say exactly why a number string is refused.
#include "events/detail/schema_messages.hpp"

#include <algorithm>

#include <boost/json.hpp>

namespace likvard {

namespace json = boost::json;

namespace {

constexpr std::size_t shown_chars_max = 60;

// A pointer token as RFC 6901 writes it, shortened when a sender's key is very long.
std::string escape_pointer_token(std::string_view token) {
    constexpr std::size_t token_chars_max = 80;
    const bool shortened = token.size() > token_chars_max;
    if (shortened) token = token.substr(0, token_chars_max);
    std::string out;
    for (char c : token) {
        if (c == '~')
            out += "~0";
        else if (c == '/')
            out += "~1";
        else
            out += c;
    }
    return shortened ? out + "..." : out;
}

// "<prefix><name>'." -> name
std::optional<std::string> quoted_after(const std::string& description, std::string_view prefix) {
    if (!description.starts_with(prefix) || !description.ends_with("'.")) return std::nullopt;
    return description.substr(prefix.size(), description.size() - prefix.size() - 2);
}

// valijson's context: "<root>", "[data]", "[amount]", "[0]" -> "/data/amount".
std::string pointer_of(const std::vector<std::string>& context, std::string_view prefix) {
    std::string pointer(prefix);
    for (std::size_t i = 1; i < context.size(); ++i) {
        const std::string& token = context[i];
        pointer += '/';
        pointer += escape_pointer_token(std::string_view(token).substr(1, token.size() - 2));
    }
    return pointer;
}

const json::value* find_pointer(const json::value& root, const std::string& pointer) {
    json::error_code ec;
    const json::value* found = root.find_pointer(pointer, ec);
    return ec ? nullptr : found;
}

}  // namespace

std::string shortened(std::string_view text, std::size_t bytes_max) {
    if (text.size() <= bytes_max) return std::string(text);
    std::size_t end = bytes_max;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xc0) == 0x80) --end;  // a continuation byte
    return std::string(text.substr(0, end)) + "...";
}

namespace {

std::string shown(const json::value& value) { return shortened(json::serialize(value), shown_chars_max); }

std::string last_token(const std::string& pointer) { return pointer.substr(pointer.rfind('/') + 1); }

bool is_party_field(const std::string& field, const std::string& pointer) {
    return field.ends_with("_id") || field == "borne_by" || field == "charged_by" || field == "granted_by" ||
           pointer.find("/beneficiaries/") != std::string::npos || pointer.find("/weights/") != std::string::npos;
}

// Why a string failed its 'pattern', by the kind of field it sits in.
std::string pattern_explanation(const std::string& pointer, const json::value& value) {
    const std::string field = last_token(pointer);
    const std::string text(value.get_string());
    if (field == "amount" || field == "unit_price") {
        const auto parsed = Money::parse(text);
        return parsed ? shown(value) + " is not an amount in SEK like \"1234.50\"" : parsed.error;
    }
    if (field == "share" || field == "weighted_listed" || field == "fte" ||
        pointer.find("/weights/") != std::string::npos) {
        const auto parsed = Decimal4::parse(text);
        return parsed ? shown(value) + " is not a decimal like \"0.5\"" : parsed.error;
    }
    if (field == "event_id" || field == "reverses") return shown(value) + " is not a UUID";
    if (field == "line")
        return shown(value) + " is not a money column of the neutrality statement nor commitment:<commitment>";
    if (field == "period") return shown(value) + " is not a month YYYY-MM";
    if (field == "occurred_on") return shown(value) + " is not a date YYYY-MM-DD";
    if (field == "region") return shown(value) + " is not an ISO 3166-2 region code like \"SE-Z\"";
    if (is_party_field(field, pointer))
        return shown(value) + " is not a party id (a lower-case letter or digit, then 1 to 62 of a-z, 0-9, '-')";
    return shown(value) + " does not have the form the contract requires";
}

std::string forbidden_hint(const std::string& pointer) {
    const std::string field = last_token(pointer);
    if (field == "provider_type") return " (only providers have a provider_type)";
    if (field == "weights") return " (weights go with the keys users and fixed)";
    return "";
}

std::string trimmed_number(std::string number) {
    if (number.find('.') == std::string::npos) return number;
    while (number.back() == '0') number.pop_back();
    if (number.back() == '.') number.pop_back();
    return number;
}

// valijson's bound messages, said shorter (string matching only: no regex on sender text).
std::string bound_explanation(const std::string& description) {
    struct Bound {
        std::string_view prefix;
        std::string_view said;
        bool number;
    };
    static constexpr Bound bounds[] = {
        {"Expected number greater than or equal to ", "is less than the minimum ", true},
        {"Expected number less than or equal to ", "is more than the maximum ", true},
        {"String should be no fewer than ", "is shorter than ", false},
        {"String should be no more than ", "is longer than ", false},
    };
    for (const auto& bound : bounds) {
        if (!description.starts_with(bound.prefix)) continue;
        std::string rest = description.substr(bound.prefix.size());
        rest = rest.substr(0, rest.find(' '));
        if (!rest.empty() && rest.back() == '.') rest.pop_back();
        return std::string(bound.said) + (bound.number ? trimmed_number(rest) : rest + " characters");
    }
    return "breaks the schema: " + description.substr(0, 200);
}

std::string explain(const std::string& description, const std::string& pointer, const json::value* value,
                    std::string_view where, std::string& pointer_out) {
    pointer_out = pointer;
    // Plain string matching: the property names in these sentences are the sender's bytes.
    if (auto name = quoted_after(description, "Missing required property '")) {
        pointer_out = pointer + "/" + escape_pointer_token(*name);
        return "is required";
    }
    if (auto name = quoted_after(description,
                                 "Object contains a property that could not be validated using "
                                 "'properties' or 'additionalProperties' constraints: '")) {
        pointer_out = pointer + "/" + escape_pointer_token(*name);
        return "is not a field of " + std::string(where);
    }
    if (value == nullptr) return description;
    if (description.find("'pattern'") != std::string::npos && value->is_string())
        return pattern_explanation(pointer, *value);
    if (description.find("enum") != std::string::npos)
        return shown(*value) + " is not one of the allowed values (schemas/events/)";
    if (description.find("'type'") != std::string::npos)
        return shown(*value) + " has the wrong type (" + std::string(to_string(value->kind())) + ")";
    if (description.find("'const'") != std::string::npos) return shown(*value) + " is not the allowed value";
    if (description.find("'not'") != std::string::npos)
        return shown(*value) + " is not allowed here" + forbidden_hint(pointer);
    return shown(*value) + " " + bound_explanation(description);
}

}  // namespace

std::string describe_schema_error(const valijson::ValidationResults& results, const json::value& root,
                                  std::string_view prefix, std::string_view where) {
    // The deepest error is the most specific; valijson also reports each enclosing level.
    valijson::ValidationResults::Error best;
    bool have = false;
    for (const auto& error : results) {
        if (!have || error.context.size() > best.context.size()) {
            best = error;
            have = true;
        }
    }
    if (!have) return std::string(prefix.empty() ? "(root)" : prefix) + ": breaks the schema";
    const std::string pointer = pointer_of(best.context, prefix);
    std::string named_pointer;
    const std::string what = explain(best.description, pointer, find_pointer(root, pointer), where, named_pointer);
    return (named_pointer.empty() ? "(root)" : named_pointer) + ": " + what;
}

namespace {

bool is_leap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

bool is_calendar_date(std::string_view date) {
    const int year = std::stoi(std::string(date.substr(0, 4)));
    const int month = std::stoi(std::string(date.substr(5, 2)));
    const int day = std::stoi(std::string(date.substr(8, 2)));
    static constexpr int days_in_month[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const int days = days_in_month[month - 1] + (month == 2 && is_leap(year) ? 1 : 0);
    // There is no year 0 (1 BC follows AD 1); PostgreSQL refuses it as a date.
    return year >= 1 && day >= 1 && day <= days;
}

std::optional<std::string> positive_amount_error(const json::object& data, std::string_view field) {
    const auto* value = data.if_contains(field);
    if (value == nullptr) return std::nullopt;
    const auto amount = Money::parse(value->get_string());
    if (amount && amount->ore() > 0) return std::nullopt;
    return "/data/" + std::string(field) + ": " + shown(*value) + " must be greater than zero";
}

std::optional<std::string> non_negative_amount_error(const json::object& data) {
    const auto& value = data.at("amount");
    const auto amount = Money::parse(value.get_string());
    if (amount && amount->ore() >= 0) return std::nullopt;
    return "/data/amount: " + shown(value) + " must not be negative (a zero budget is a budget)";
}

// A payer named twice would pay two parts of one share.
std::optional<std::string> payers_error(const json::object& data) {
    const auto& payers = data.at("paid_by").get_array();
    for (std::size_t i = 0; i < payers.size(); ++i)
        for (std::size_t j = 0; j < i; ++j)
            if (payers[i].at("party_id") == payers[j].at("party_id"))
                return "/data/paid_by/" + std::to_string(i) + "/party_id: " + shown(payers[i].at("party_id")) +
                       " is named twice";
    return std::nullopt;
}

// Explicit beneficiaries and the weights must name the same providers.
std::optional<std::string> weights_error(const json::object& data) {
    const auto& allocation = data.at("allocation").get_object();
    const auto* weights = allocation.if_contains("weights");
    const auto& beneficiaries = allocation.at("beneficiaries");
    if (weights == nullptr || !beneficiaries.is_array()) return std::nullopt;
    const auto& named = beneficiaries.get_array();
    for (const auto& [id, weight] : weights->get_object())
        if (std::find(named.begin(), named.end(), json::value(id)) == named.end())
            return "/data/allocation/weights/" + escape_pointer_token(id) + ": is not one of the beneficiaries";
    for (const auto& id : named)
        if (!weights->get_object().contains(id.get_string()))
            return "/data/allocation/weights: has no weight for beneficiary " + shown(id);
    return std::nullopt;
}

}  // namespace

// The first string (or object key) holding the character U+0000, which PostgreSQL text
// cannot store (the ledger's columns and projections, e.g. a source reference or a party
// name), as a JSON pointer; nothing if there is none.
std::optional<std::string> nul_character_at(const json::value& value, const std::string& pointer) {
    const auto escaped = [](std::string_view key) {  // RFC 6901: ~ as ~0, / as ~1
        std::string out;
        for (char c : key) out += c == '~' ? std::string("~0") : c == '/' ? std::string("~1") : std::string(1, c);
        return out;
    };
    if (value.is_string()) {
        if (value.get_string().find('\0') != json::string::npos) return pointer;
    } else if (value.is_object()) {
        for (const auto& [key, member] : value.get_object()) {
            const std::string at = pointer + "/" + escaped(key);
            if (key.find('\0') != json::string_view::npos) return at;
            if (auto found = nul_character_at(member, at)) return found;
        }
    } else if (value.is_array()) {
        const auto& items = value.get_array();
        for (std::size_t i = 0; i < items.size(); ++i)
            if (auto found = nul_character_at(items[i], pointer + "/" + std::to_string(i))) return found;
    }
    return std::nullopt;
}

std::optional<std::string> exclusive_fields_error(EventType type, const json::value& data) {
    if (type != EventType::budget_set || !data.is_object()) return std::nullopt;
    const bool party = data.get_object().contains("party_id");
    const bool side = data.get_object().contains("side");
    if (party && side) return "/data/side: is not allowed beside party_id (a budget is for one party or one side)";
    if (!party && !side) return "/data/party_id: is required (or side, for a whole side)";
    return std::nullopt;
}

std::optional<std::string> beyond_schema_error(EventType type, const json::value& root) {
    if (const auto at = nul_character_at(root, ""))
        return *at + ": contains the character U+0000 (\\u0000), which the ledger cannot store as text";
    const auto& object = root.get_object();
    const std::string occurred_on(object.at("occurred_on").get_string());
    if (!is_calendar_date(occurred_on)) return "/occurred_on: \"" + occurred_on + "\" is not a date in the calendar";
    const auto& data = object.at("data").get_object();
    if (type == EventType::budget_set) return non_negative_amount_error(data);
    if (!is_financial(type)) return std::nullopt;
    for (std::string_view field : {"amount", "unit_price"})
        if (auto error = positive_amount_error(data, field)) return error;
    if (type == EventType::shared_cost_incurred) {
        if (auto error = payers_error(data)) return error;
        return weights_error(data);
    }
    return std::nullopt;
}

}  // namespace likvard
