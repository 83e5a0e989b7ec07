// The projection layout's text, checksum and tables, shared by `likvard migrate` and the
// projection runner (a library of its own, so that the store's migrate needs no runner).
#include "projections/layout.hpp"

#include "events/events.hpp"

namespace likvard {
namespace {

std::string layout_text() {
    std::string text;
    for (const auto& [name, content] : embedded_projection_layout()) text += content;
    return text;
}

}  // namespace

std::string projection_layout_sql(const std::string& schema) {
    std::string text = layout_text();
    const std::string placeholder = "{schema}";
    for (std::size_t at = text.find(placeholder); at != std::string::npos; at = text.find(placeholder, at))
        text.replace(at, placeholder.size(), schema), at += schema.size();
    return text;
}

std::string projection_layout_sha256() {
    const auto digest = sha256(layout_text());
    return to_hex(digest.data(), digest.size());
}

const std::vector<std::string>& projection_tables() {
    static const std::vector<std::string> tables{"checkpoints",
                                                 "parties",
                                                 "balances",
                                                 "listings",
                                                 "event_counts",
                                                 "decision_refs",
                                                 "commitment_facts",
                                                 "cross_subsidies",
                                                 "shared_cost_events",
                                                 "shared_cost_keys",
                                                 "block_balances",
                                                 "block_listings",
                                                 "block_event_counts",
                                                 "block_decision_refs",
                                                 "block_commitment_facts",
                                                 "block_cross_subsidies"};
    return tables;
}

}  // namespace likvard
