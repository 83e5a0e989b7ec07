// The fuzzed path: bytes -> Decoder -> admit -> apply, with the state kept across inputs
// (bounded) so reversals, duplicates and closed periods are reached too.
#include "check_target.hpp"

#include <string>
#include <string_view>

#include "rules/rules.hpp"

namespace likvard::fuzz {
namespace {

constexpr std::size_t state_events_max = 10'000;

const char* const cast_lines[] = {
    R"({"event_id":"00000000-0000-4000-8000-000000000001","type":"party.registered","schema_version":1,"region":"SE-Z","scheme":"primary_care","period":"2023-01","occurred_on":"2023-01-01","source":{"system":"s","reference":"r"},"data":{"party_id":"halsoval-bestallare","name":"P","kind":"organisation","side":"purchaser"}})",
    R"({"event_id":"00000000-0000-4000-8000-000000000002","type":"party.registered","schema_version":1,"region":"SE-Z","scheme":"primary_care","period":"2023-01","occurred_on":"2023-01-01","source":{"system":"s","reference":"r"},"data":{"party_id":"hc-lugnvik","name":"L","kind":"provider","side":"region_run","provider_type":"health_centre"}})",
    R"({"event_id":"00000000-0000-4000-8000-000000000003","type":"party.registered","schema_version":1,"region":"SE-Z","scheme":"primary_care","period":"2023-01","occurred_on":"2023-01-01","source":{"system":"s","reference":"r"},"data":{"party_id":"hc-medinord","name":"M","kind":"provider","side":"private","provider_type":"health_centre"}})",
    R"({"event_id":"00000000-0000-4000-8000-000000000004","type":"party.registered","schema_version":1,"region":"SE-Z","scheme":"primary_care","period":"2023-01","occurred_on":"2023-01-01","source":{"system":"s","reference":"r"},"data":{"party_id":"egen-regi-primarvard","name":"E","kind":"organisation","side":"region_run"}})",
    R"({"event_id":"00000000-0000-4000-8000-000000000005","type":"party.registered","schema_version":1,"region":"SE-Z","scheme":"primary_care","period":"2023-01","occurred_on":"2023-01-01","source":{"system":"s","reference":"r"},"data":{"party_id":"efrikort-leverantor","name":"V","kind":"vendor","side":"external"}})",
};

struct Harness {
    Decoder decoder;
    RegionState state;

    Harness() { reset(); }

    void reset() {
        state = RegionState{};
        for (const char* line : cast_lines) feed(line);
    }

    void feed(std::string_view bytes) {
        DecodeResult decoded = decoder.decode(bytes);
        if (!decoded.event) return;
        const Admission admission = admit(*decoded.event, state);
        if (const auto* admitted = std::get_if<Admitted>(&admission)) state.apply(*decoded.event, admitted->postings);
    }
};

}  // namespace

void check_bytes(const std::uint8_t* data, std::size_t size) {
    static Harness harness;
    if (harness.state.events.size() > state_events_max) harness.reset();
    harness.feed(std::string_view(reinterpret_cast<const char*>(data), size));
}

}  // namespace likvard::fuzz
