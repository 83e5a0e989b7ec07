// The table of ledger/gl/detail/shapes.hpp: the single-row event types a GL row can be, with
// the ledger's own field names and enum values (docs/contract.md).
#include "gl/detail/shapes.hpp"

#include <algorithm>

namespace likvard::gl::detail {
namespace {

const std::vector<std::string_view> components{"capitation", "variable", "supplementary",       "target",
                                               "sparsity",   "visit",    "deficit_compensation"};
const std::vector<std::string_view> overhead_categories{"it",       "finance_admin",    "hr_admin", "payroll_admin",
                                                        "premises", "vat_compensation", "other"};
const std::vector<std::string_view> charge_categories{"office_licences", "helpdesk", "finance_admin", "hr_admin",
                                                      "payroll_admin",   "it_other", "other"};
const std::vector<std::string_view> commitments{"on_call_coordination", "st_director_of_studies",
                                                "bt_director_of_studies", "scheduling_payroll_billing_admin", "other"};
const std::vector<std::string_view> purposes{"on_call_coordination",
                                             "st_director_of_studies",
                                             "bt_director_of_studies",
                                             "scheduling_payroll_billing_admin",
                                             "other",
                                             "lof_lol",
                                             "shared_cost:e_frikort",
                                             "shared_cost:waiting_room_tv",
                                             "shared_cost:acute_module",
                                             "shared_cost:other"};
const std::vector<std::string_view> shared_services{"e_frikort", "waiting_room_tv", "acute_module", "other"};
// users and fixed need weights per provider, which one GL row cannot give.
const std::vector<std::string_view> allocation_keys{"equal", "listed", "weighted_listed"};

}  // namespace

const std::vector<TypeShape>& shapes() {
    static const std::vector<TypeShape> table{
        {EventType::payment_made,
         {{"component", true, components}, {"detail", false, {}}},
         "component",
         "payer_id",
         "provider_id",
         "compensation",
         "compensation",
         "income"},
        {EventType::overhead_compensated,
         {{"category", true, overhead_categories}},
         "category",
         "payer_id",
         "provider_id",
         "overhead",
         "overhead",
         "income"},
        {EventType::internal_charge_booked,
         {{"category", true, charge_categories}},
         "category",
         "party_id",
         "charged_by",
         "internal_charge",
         "internal_charge",
         "income"},
        {EventType::commitment_cost_incurred,
         {{"commitment", true, commitments}},
         "commitment",
         "borne_by",
         "borne_by",
         "commitment",
         "commitment",
         "settlement"},
        {EventType::appropriation_granted,
         {{"purpose", true, purposes}},
         "purpose",
         "granted_by",
         "party_id",
         "appropriation",
         "appropriation",
         "income"},
        {EventType::shared_cost_incurred,
         {{"service", true, shared_services}, {"allocation_key", true, allocation_keys}},
         "service",
         "paid_by",
         "vendor_id",
         "shared_cost",
         "sales",
         "income"},
        {EventType::service_purchased,
         {{"service", true, {}}},
         "service",
         "buyer_id",
         "seller_id",
         "service_bought",
         "service_sold",
         "income"},
    };
    return table;
}

const TypeShape* shape_of(EventType type) {
    const auto& table = shapes();
    const auto found = std::find_if(table.begin(), table.end(), [&](const TypeShape& s) { return s.type == type; });
    return found == table.end() ? nullptr : &*found;
}

const std::vector<std::string_view>& party_columns() {
    static const std::vector<std::string_view> columns{"payer_id", "provider_id", "charged_by", "party_id",
                                                       "borne_by", "granted_by",  "paid_by",    "vendor_id",
                                                       "buyer_id", "seller_id"};
    return columns;
}

const std::vector<std::string_view>& mapping_columns() {
    static const std::vector<std::string_view> columns = [] {
        std::vector<std::string_view> out{"account", "objects",   "series",        "sign",       "type",
                                          "scheme",  "component", "category",      "commitment", "purpose",
                                          "service", "detail",    "allocation_key"};
        out.insert(out.end(), party_columns().begin(), party_columns().end());
        out.insert(out.end(), {"decision_ref", "comment"});
        return out;
    }();
    return columns;
}

}  // namespace likvard::gl::detail
