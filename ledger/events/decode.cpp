// Bytes -> validated Event, or a Rejection naming the field. The checks run in the order
// of docs/contract.md: size, JSON, type, schema version, JSON Schema (envelope, then data).
#include <algorithm>
#include <map>

#include <boost/json.hpp>
#include <openssl/sha.h>
#include <valijson/adapters/boost_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include "events/canonical.hpp"
#include "events/events.hpp"
#include "events/detail/schema_messages.hpp"
#include "events/detail/unique_members.hpp"

namespace likvard {

namespace json = boost::json;

struct Decoder::Schemas {
    valijson::Schema envelope;
    std::map<EventType, valijson::Schema> data;
    valijson::Validator validator;
};

namespace {

constexpr unsigned json_depth_max = 32;
constexpr std::size_t shown_id_chars_max = 64;
constexpr std::size_t shown_pointer_chars_max = 200;

json::value parse_schema_text(std::string_view name, std::string_view text) {
    json::error_code ec;
    json::value value = json::parse(text, ec);
    if (ec) throw std::runtime_error("embedded schema " + std::string(name) + " is not JSON: " + ec.message());
    return value;
}

void load_schema(std::string_view name, std::string_view text, valijson::Schema& schema) {
    const json::value document = parse_schema_text(name, text);
    valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
    valijson::adapters::BoostJsonAdapter adapter(document);
    parser.populateSchema(adapter, schema);
}

// Messages and ids quote what was received, which may hold anything valid JSON can.
DecodeResult reject(Reason reason, const std::string& message, const std::string& event_id = {}) {
    DecodeResult result;
    result.rejection = Rejection{reason, storable_text(message)};
    result.event_id = storable_text(event_id);
    return result;
}

std::string readable_event_id(const json::object& object) {
    const auto* id = object.if_contains("event_id");
    if (id == nullptr || !id->is_string()) return {};
    return shortened(id->get_string(), shown_id_chars_max);
}

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

// ---- typed construction from an object that passed its schema (or was stored after it did);
// checked accessors, so that stored bytes of another shape throw instead of being misread ----
std::string str(const json::object& o, std::string_view key) { return std::string(o.at(key).as_string()); }

std::optional<std::string> opt_str(const json::object& o, std::string_view key) {
    const auto* value = o.if_contains(key);
    if (value == nullptr) return std::nullopt;
    return std::string(value->as_string());
}

// .value(): validated input always holds these; stored bytes that do not (decode_stored)
// throw rather than read an empty optional.
Money money(const json::object& o, std::string_view key) { return Money::parse(o.at(key).as_string()).value.value(); }
Decimal4 decimal(const json::value& v) { return Decimal4::parse(v.as_string()).value.value(); }

Allocation make_allocation(const json::object& o) {
    Allocation allocation;
    allocation.key = str(o, "key");
    const auto& beneficiaries = o.at("beneficiaries");
    allocation.all_providers = beneficiaries.is_string();
    if (beneficiaries.is_array())
        for (const auto& id : beneficiaries.as_array()) allocation.beneficiaries.emplace_back(id.as_string());
    if (const auto* weights = o.if_contains("weights"))
        for (const auto& [party, weight] : weights->as_object())
            allocation.weights.emplace_back(std::string(party), decimal(weight));
    allocation.basis = opt_str(o, "basis");
    if (const auto* estimate = o.if_contains("estimate")) allocation.estimate = estimate->as_bool();
    return allocation;
}

EventData make_data(EventType type, const json::object& d) {
    switch (type) {
        case EventType::party_registered:
            return PartyRegistered{str(d, "party_id"),
                                   str(d, "name"),
                                   kind_from_name(d.at("kind").as_string()).value(),
                                   side_from_name(d.at("side").as_string()).value(),
                                   opt_str(d, "provider_type"),
                                   opt_str(d, "area")};
        case EventType::party_retired: return PartyRetired{str(d, "party_id")};
        case EventType::listing_recorded:
            return ListingRecorded{str(d, "provider_id"), d.at("listed").as_int64(), decimal(d.at("weighted_listed"))};
        case EventType::budget_set: {
            std::optional<Side> side;
            if (const auto* value = d.if_contains("side")) side = side_from_name(value->as_string()).value();
            return BudgetSet{opt_str(d, "party_id"), side, str(d, "line"), money(d, "amount")};
        }
        case EventType::payment_made:
            return PaymentMade{str(d, "payer_id"), str(d, "provider_id"), str(d, "component"), opt_str(d, "detail"),
                               money(d, "amount")};
        case EventType::overhead_compensated:
            return OverheadCompensated{str(d, "payer_id"), str(d, "provider_id"), str(d, "category"),
                                       money(d, "amount")};
        case EventType::internal_charge_booked:
            return InternalChargeBooked{str(d, "charged_by"), str(d, "party_id"), str(d, "category"),
                                        money(d, "amount")};
        case EventType::shared_cost_incurred: {
            SharedCostIncurred cost{str(d, "service"),
                                    str(d, "vendor_id"),
                                    money(d, "amount"),
                                    {},
                                    make_allocation(d.at("allocation").as_object())};
            for (const auto& payer : d.at("paid_by").as_array())
                cost.paid_by.push_back({str(payer.as_object(), "party_id"), decimal(payer.at("share"))});
            return cost;
        }
        case EventType::commitment_cost_incurred: {
            std::optional<Decimal4> fte;
            if (const auto* value = d.if_contains("fte")) fte = decimal(*value);
            return CommitmentCostIncurred{str(d, "commitment"), str(d, "borne_by"), money(d, "amount"), fte,
                                          opt_str(d, "description")};
        }
        case EventType::appropriation_granted:
            return AppropriationGranted{str(d, "granted_by"), str(d, "party_id"), str(d, "purpose"),
                                        money(d, "amount")};
        case EventType::service_purchased:
            return ServicePurchased{str(d, "seller_id"),         str(d, "buyer_id"),     str(d, "service"),
                                    d.at("quantity").as_int64(), money(d, "unit_price"), money(d, "amount")};
        case EventType::entry_reversed: return EntryReversed{lower(d.at("reverses").as_string()), str(d, "reason")};
        case EventType::period_closed: return PeriodClosed{};
    }
    throw std::logic_error("unhandled event type");
}

Event make_event(EventType type, const json::value& root) {
    const auto& o = root.as_object();
    const auto& source = o.at("source").as_object();
    Event event;
    event.event_id = lower(o.at("event_id").as_string());
    event.type = type;
    event.region = str(o, "region");
    event.scheme = str(o, "scheme");
    event.period = str(o, "period");
    event.occurred_on = str(o, "occurred_on");
    event.source_system = str(source, "system");
    event.source_reference = str(source, "reference");
    event.decision_ref = opt_str(o, "decision_ref");
    event.data = make_data(type, o.at("data").as_object());
    event.canonical = canonical_json(root);
    return event;
}

std::optional<std::string> schema_error(valijson::Validator& validator, const valijson::Schema& schema,
                                        const json::value& target, const json::value& root, std::string_view prefix,
                                        std::string_view where) {
    valijson::ValidationResults results;
    valijson::adapters::BoostJsonAdapter adapter(target);
    if (validator.validate(schema, adapter, &results)) return std::nullopt;
    return describe_schema_error(results, root, prefix, where);
}

}  // namespace

Decoder::Decoder() : schemas_(std::make_unique<Schemas>()) {
    for (const auto& [name, text] : embedded_event_schemas()) {
        if (name == "envelope.schema.json") {
            load_schema(name, text, schemas_->envelope);
            continue;
        }
        const std::string type = name.substr(0, name.size() - std::string_view(".schema.json").size());
        const auto event_type = type_from_name(type);
        if (!event_type) throw std::runtime_error("schema file for unknown event type: " + name);
        load_schema(name, text, schemas_->data[*event_type]);
    }
    if (schemas_->data.size() != event_type_count)
        throw std::runtime_error("a schema file is missing: expected one per event type");
}

Decoder::~Decoder() = default;

DecodeResult Decoder::decode(std::string_view bytes) {
    if (bytes.size() > event_bytes_max)
        return reject(Reason::too_large, "(message): " + std::to_string(bytes.size()) + " bytes, more than the " +
                                             std::to_string(event_bytes_max) + " allowed");
    json::parse_options options;
    options.max_depth = json_depth_max;
    json::error_code ec;
    json::value root = json::parse(json::string_view(bytes.data(), bytes.size()), ec, {}, options);
    if (ec) return reject(Reason::malformed_json, "(message): not a JSON text: " + ec.message());
    if (auto repeated = repeated_member(bytes, json_depth_max))
        return reject(Reason::malformed_json,
                      shortened(*repeated, shown_pointer_chars_max) +
                          ": the member name occurs twice in one object (names must be unique, I-JSON)",
                      root.is_object() ? readable_event_id(root.get_object()) : std::string());
    if (!root.is_object())
        return reject(Reason::schema_violation, "(root): an event is a JSON object, got " +
                                                    std::string(root.is_array() ? "an " : "a ") +
                                                    std::string(to_string(root.kind())));
    const auto& object = root.get_object();
    std::string event_id = readable_event_id(object);

    const auto* type_value = object.if_contains("type");
    if (type_value == nullptr) return reject(Reason::schema_violation, "/type: is required", event_id);
    if (!type_value->is_string()) return reject(Reason::schema_violation, "/type: must be a string", event_id);
    const auto type = type_from_name(type_value->get_string());
    if (!type)
        return reject(
            Reason::unknown_type,
            "/type: \"" + shortened(type_value->get_string(), 80) + "\" is not an event type of contract version 1",
            event_id);
    if (const auto* version = object.if_contains("schema_version");
        version && version->is_int64() && version->get_int64() != 1)
        return reject(Reason::unsupported_schema_version,
                      "/schema_version: " + std::to_string(version->get_int64()) +
                          " is not supported (this ledger reads version 1)",
                      event_id);

    auto& validator = schemas_->validator;
    if (auto error = schema_error(validator, schemas_->envelope, root, root, "", "the envelope"))
        return reject(Reason::schema_violation, *error, event_id);
    if (auto error = schema_error(validator, schemas_->data.at(*type), object.at("data"), root, "/data",
                                  std::string(type_name(*type))))
        return reject(Reason::schema_violation, exclusive_fields_error(*type, object.at("data")).value_or(*error),
                      event_id);
    if (auto error = beyond_schema_error(*type, root)) return reject(Reason::schema_violation, *error, event_id);

    DecodeResult result;
    result.event = make_event(*type, root);
    result.event_id = std::move(event_id);
    return result;
}

std::optional<Event> decode_stored(std::string_view canonical) {
    json::parse_options options;
    options.max_depth = json_depth_max;
    json::error_code ec;
    const json::value root = json::parse(json::string_view(canonical.data(), canonical.size()), ec, {}, options);
    if (ec || !root.is_object()) return std::nullopt;
    const auto* type_value = root.get_object().if_contains("type");
    if (type_value == nullptr || !type_value->is_string()) return std::nullopt;
    const auto type = type_from_name(type_value->get_string());
    if (!type) return std::nullopt;
    try {
        return make_event(*type, root);
    } catch (const std::exception&) {  // a member missing or of another kind than the schema says
        return std::nullopt;
    }
}

std::optional<Allocation> decode_stored_allocation(std::string_view text) {
    json::error_code ec;
    const json::value root = json::parse(json::string_view(text.data(), text.size()), ec);
    if (ec || !root.is_object()) return std::nullopt;
    try {
        return make_allocation(root.get_object());
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

std::array<unsigned char, 32> sha256(std::string_view bytes) {
    std::array<unsigned char, 32> digest{};
    SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), digest.data());
    return digest;
}

std::string to_hex(const unsigned char* data, std::size_t size) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(size * 2);
    for (std::size_t i = 0; i < size; ++i) {
        out += digits[data[i] >> 4];
        out += digits[data[i] & 0x0f];
    }
    return out;
}

}  // namespace likvard
