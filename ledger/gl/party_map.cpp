// The party map (docs/reconciling.md, "The party map"): which party each object of the
// general ledger stands for (cost centre 2150 is hc-are), with the party.registered fields
// that register the parties the ledger lacks.
#include <algorithm>

#include "gl/detail/table.hpp"
#include "gl/mapping.hpp"

namespace likvard::gl {
namespace {

using detail::RowReader;

constexpr std::size_t name_chars_max = 200;
constexpr std::size_t area_chars_max = 100;
const std::vector<std::string_view> party_map_columns{"dimension", "object",        "party_id", "name",   "kind",
                                                      "side",      "provider_type", "area",     "comment"};
const std::vector<std::string_view> provider_types{"health_centre", "cottage_hospital", "dental_clinic",
                                                   "physiotherapy", "foot_care"};

std::size_t characters(const std::string& utf8) {
    return static_cast<std::size_t>(
        std::count_if(utf8.begin(), utf8.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

void read_object(RowReader& in, PartyEntry& entry) {
    const std::string dimension = in.get("dimension");
    const std::string object = in.get("object");
    if (dimension.empty() && object.empty()) return;  // a party no object stands for
    const auto number = detail::dimension_number(dimension);
    if (dimension.empty()) return in.fail("dimension", "an object needs its dimension (1 for cost centres)");
    if (!number) return in.fail("dimension", "'" + dimension + "' is not a dimension number (1, 2, ...)");
    if (object.empty()) return in.fail("object", "a dimension needs the object (e.g. 2150)");
    entry.object = sie::ObjectRef{*number, object};
}

void read_kind_and_side(RowReader& in, PartyRegistered& party) {
    const std::string kind = in.get("kind");
    const std::string side = in.get("side");
    const std::string provider_type = in.get("provider_type");
    const auto k = kind_from_name(kind);
    const auto s = side_from_name(side);
    if (!k) in.fail("kind", "'" + kind + "' is not a kind (provider, organisation or vendor)");
    if (!s) in.fail("side", "'" + side + "' is not a side (region_run, private, purchaser, central or external)");
    if (k) party.kind = *k;
    if (s) party.side = *s;
    if (k == Kind::provider && s && *s != likvard::Side::region_run && *s != likvard::Side::private_provider)
        in.fail("side", "a provider is region_run or private, not " + side);
    if (k == Kind::provider && provider_type.empty())
        in.fail("provider_type",
                "a provider needs its provider_type (health_centre, cottage_hospital, "
                "dental_clinic, physiotherapy or foot_care)");
    else if (k == Kind::provider &&
             std::find(provider_types.begin(), provider_types.end(), provider_type) == provider_types.end())
        in.fail("provider_type", "'" + provider_type +
                                     "' is not a provider_type (health_centre, cottage_hospital, "
                                     "dental_clinic, physiotherapy or foot_care)");
    else if (k && k != Kind::provider && !provider_type.empty())
        in.fail("provider_type", "only a provider has a provider_type: leave it empty for " + kind);
    if (!provider_type.empty()) party.provider_type = provider_type;
}

std::optional<PartyEntry> read_entry(RowReader& in) {
    PartyEntry entry;
    entry.line = in.line();
    read_object(in, entry);
    PartyRegistered& party = entry.party;
    party.party_id = in.get("party_id");
    party.name = in.get("name");
    if (!detail::is_party_id(party.party_id))
        in.fail("party_id", "'" + party.party_id + "' is not a party id (a-z, 0-9 and '-', 2-63 characters)");
    if (party.name.empty() || characters(party.name) > name_chars_max)
        in.fail("name", "the name is required, at most 200 characters");
    read_kind_and_side(in, party);
    if (const std::string area = in.get("area"); !area.empty()) {
        if (characters(area) > area_chars_max) in.fail("area", "longer than 100 characters");
        party.area = area;
    }
    in.check_extra_fields();
    if (!in.ok()) return std::nullopt;
    return entry;
}

bool same_party(const PartyRegistered& a, const PartyRegistered& b) {
    return a.party_id == b.party_id && a.name == b.name && a.kind == b.kind && a.side == b.side &&
           a.provider_type == b.provider_type && a.area == b.area;
}

// An object once; a party on several rows (several cost centres) with the same fields.
void add_entry(PartyMap& map, PartyEntry entry, RowReader& in) {
    if (entry.object && map.by_object.contains(*entry.object)) {
        const auto& first = map.entries[map.by_object.at(*entry.object)];
        return in.fail("object", "the object " + std::to_string(entry.object->dimension) + "=" + entry.object->object +
                                     " is already on line " + std::to_string(first.line));
    }
    if (const auto found = map.by_party.find(entry.party.party_id); found != map.by_party.end()) {
        const auto& first = map.entries[found->second];
        if (!same_party(first.party, entry.party))
            return in.fail("party_id", "the party " + entry.party.party_id + " is on line " +
                                           std::to_string(first.line) +
                                           " with another name, kind, side, provider_type or area");
    }
    const std::size_t index = map.entries.size();
    if (entry.object) map.by_object[*entry.object] = index;
    map.by_party.try_emplace(entry.party.party_id, index);
    map.entries.push_back(std::move(entry));
}

}  // namespace

const PartyEntry* PartyMap::of_object(int dimension, const std::string& object) const {
    const auto found = by_object.find(sie::ObjectRef{dimension, object});
    return found == by_object.end() ? nullptr : &entries[found->second];
}

const PartyEntry* PartyMap::of_party(const std::string& party_id) const {
    const auto found = by_party.find(party_id);
    return found == by_party.end() ? nullptr : &entries[found->second];
}

Parse<PartyMap> parse_party_map(std::string_view text) {
    Parse<PartyMap> out;
    const detail::CsvTable table = detail::read_csv(text);
    detail::add_csv_errors(table, out.errors);
    if (!out.errors.empty()) return out;
    const auto columns =
        detail::Columns::of(table, party_map_columns, {"party_id", "name", "kind", "side"}, out.errors);
    if (!columns) return out;
    PartyMap map;
    for (const auto& record : table.records) {
        RowReader in(record, *columns, out.errors);
        if (auto entry = read_entry(in)) add_entry(map, std::move(*entry), in);
    }
    if (out.errors.empty()) out.value = std::move(map);
    return out;
}

}  // namespace likvard::gl
