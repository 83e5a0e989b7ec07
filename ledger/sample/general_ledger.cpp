// The sample year booked as a region's finance system books it (general_ledger.hpp): one
// verification per financial event of generate_sample, with the row that carries the event
// and the rows that balance it, a correction verification for the reversal, and monthly
// salaries and rent of the region's own units that the choice system does not see.
#include "sample/general_ledger.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <tuple>
#include <stdexcept>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

#include "events/events.hpp"
#include "money/money.hpp"
#include "sample/detail/regions.hpp"

namespace likvard {
namespace {

using sie::ObjectRef;

constexpr int months_per_year = 12;
constexpr int cost_centre_step = 10;       // the region-run units, in registration order from their scheme's first
constexpr int counterparty_first = 70001;  // private providers and vendors: supplier numbers
constexpr int posting_day = 25;            // salaries and rent
constexpr std::int64_t salary_base_ore = 1'150'000 * Money::ore_per_sek;
constexpr std::int64_t salary_step_ore = 37'500 * Money::ore_per_sek;
constexpr std::int64_t rent_base_ore = 84'000 * Money::ore_per_sek;
constexpr std::int64_t rent_step_ore = 2'250 * Money::ore_per_sek;
constexpr int salary_steps = 7;
constexpr int rent_steps = 5;
constexpr std::string_view landlord_object = "L90001";

// The fixed cost centres of the region's own organisations.
const std::map<std::string, std::string, std::less<>>& fixed_cost_centres() {
    static const std::map<std::string, std::string, std::less<>> table{
        {"regionens-centrala", "1000"},  {"hs-direktor", "1010"},          {"halsoval-bestallare", "1100"},
        {"tandvard-bestallare", "1200"}, {"egen-regi-primarvard", "2100"}, {"folktandvarden", "3100"}};
    return table;
}

// The first cost centre of each kind of region-run unit: health centres 2110, dental clinics
// 3110, physiotherapy 4110, foot care 5110.
int cost_centre_first(const std::optional<std::string>& provider_type) {
    if (provider_type == "dental_clinic") return 3110;
    if (provider_type == "physiotherapy") return 4110;
    if (provider_type == "foot_care") return 5110;
    return 2110;
}

struct Account {
    std::string_view number;
    std::string_view name;
};

// The invented Region-Bas style accounts of the sample (ledger/sample/README.md).
constexpr Account accounts[] = {
    {"1510", "Kundfordringar"},
    {"1930", "Bank"},
    {"2440", "Leverantörsskulder"},
    {"3511", "Interna intäkter vårdersättning hälsoval"},
    {"3541", "Försäljning av OMI-besök"},
    {"3591", "Interna intäkter anslag"},
    {"3911", "Interna intäkter debiteringar"},
    {"4511", "Vårdpeng (kapitering)"},
    {"4512", "Rörlig ersättning"},
    {"4513", "Tilläggsersättning"},
    {"4514", "Målrelaterad ersättning"},
    {"4515", "Glesbygdsersättning"},
    {"4516", "Besöksersättning"},
    {"4517", "Underskottstäckning"},
    {"4551", "Tandvårdspeng barn och unga vuxna (kapitering)"},
    {"4553", "Tilläggsersättning tandvård"},
    {"4566", "Medicinsk fotvård, besöksersättning"},
    {"4571", "Vårdpeng fysioterapi (kapitering)"},
    {"4576", "Fysioterapi, besöksersättning (nationella taxan)"},
    {"4578", "Momskompensation fysioterapi"},
    {"4521", "Momskompensation privata utförare"},
    {"4522", "Ersättning för IT-kostnader privata utförare"},
    {"4523", "Ersättning för ekonomiadministration"},
    {"4524", "Ersättning för HR-administration"},
    {"4525", "Ersättning för löneadministration"},
    {"4526", "Ersättning för lokaler"},
    {"4529", "Övrig overheadersättning"},
    {"4541", "Köp av OMI-besök"},
    {"4591", "Anslag till egen regi"},
    {"5010", "Löner tillsvidareanställda"},
    {"5012", "Löner särskilda uppdrag"},
    {"6110", "Lokalhyror"},
    {"6391", "E-frikort"},
    {"6392", "Väntrums-tv"},
    {"6393", "Journalsystemets akutmodul"},
    {"6399", "Övriga gemensamma tjänster"},
    {"6911", "Intern debitering kontorslicenser"},
    {"6912", "Intern debitering helpdesk"},
    {"6913", "Intern debitering ekonomiadministration"},
    {"6914", "Intern debitering HR-administration"},
    {"6915", "Intern debitering löneadministration"},
    {"6916", "Intern debitering övrig IT"},
    {"6919", "Övriga interna debiteringar"},
};

const std::map<std::string_view, std::string_view> payment_accounts{
    {"capitation", "4511"}, {"variable", "4512"}, {"supplementary", "4513"},       {"target", "4514"},
    {"sparsity", "4515"},   {"visit", "4516"},    {"deficit_compensation", "4517"}};
// The other choice systems' payments, by scheme and component.
const std::map<std::string_view, std::string_view> dental_payment_accounts{{"capitation", "4551"},
                                                                           {"supplementary", "4553"}};
const std::map<std::string_view, std::string_view> foot_care_payment_accounts{{"visit", "4566"}};
const std::map<std::string_view, std::string_view> physiotherapy_payment_accounts{{"capitation", "4571"},
                                                                                  {"visit", "4576"}};
const std::map<std::string_view, std::string_view> overhead_accounts{
    {"vat_compensation", "4521"}, {"it", "4522"},       {"finance_admin", "4523"}, {"hr_admin", "4524"},
    {"payroll_admin", "4525"},    {"premises", "4526"}, {"other", "4529"}};
const std::map<std::string_view, std::string_view> physiotherapy_overhead_accounts{{"vat_compensation", "4578"}};
const std::map<std::string_view, std::string_view> no_accounts{};

const std::map<std::string_view, std::string_view>& payment_accounts_of(std::string_view scheme) {
    if (scheme == "primary_care") return payment_accounts;
    if (scheme == "dental_child_youth") return dental_payment_accounts;
    if (scheme == "foot_care") return foot_care_payment_accounts;
    return physiotherapy_payment_accounts;
}

const std::map<std::string_view, std::string_view>& overhead_accounts_of(std::string_view scheme) {
    if (scheme == "primary_care") return overhead_accounts;
    if (scheme == "physiotherapy") return physiotherapy_overhead_accounts;
    return no_accounts;
}
const std::map<std::string_view, std::string_view> shared_cost_accounts{
    {"e_frikort", "6391"}, {"waiting_room_tv", "6392"}, {"acute_module", "6393"}, {"other", "6399"}};
const std::map<std::string_view, std::string_view> internal_charge_accounts{
    {"office_licences", "6911"}, {"helpdesk", "6912"}, {"finance_admin", "6913"}, {"hr_admin", "6914"},
    {"payroll_admin", "6915"},   {"it_other", "6916"}, {"other", "6919"}};
// Projects (dimension 6) of the special commitments and of what appropriations fund.
const std::map<std::string_view, std::pair<std::string_view, std::string_view>> projects{
    {"on_call_coordination", {"P-JOUR", "Samordning jour och beredskap"}},
    {"st_director_of_studies", {"P-STST", "Studierektor ST"}},
    {"bt_director_of_studies", {"P-STBT", "Studierektor BT"}},
    {"scheduling_payroll_billing_admin", {"P-ADM", "Schemaläggning, lön och fakturering för alla utförare"}},
    {"other", {"P-OVR", "Övriga särskilda uppdrag"}},
    {"lof_lol", {"P-LOF", "LOF/LOL"}},
    {"shared_cost.e_frikort", {"P-EFK", "Finansiering e-frikort"}},
    {"shared_cost.waiting_room_tv", {"P-TV", "Finansiering väntrums-tv"}},
    {"shared_cost.acute_module", {"P-AKUT", "Finansiering akutmodul"}},
    {"shared_cost.other", {"P-GEM", "Finansiering övriga gemensamma tjänster"}},
};
// Dental care's special assignments (commitment and purpose `other`) have a project of their own.
const std::pair<std::string_view, std::string_view> dental_project{"P-TAND",
                                                                   "Folktandvårdens särskilda uppdrag (tandvård)"};

const std::pair<std::string_view, std::string_view>& project_of(const Event& e, const std::string& purpose) {
    if (e.scheme == "dental_child_youth" && purpose == "other") return dental_project;
    const auto found = projects.find(purpose);
    if (found == projects.end()) throw std::invalid_argument("the sample's chart has no project for " + purpose);
    return found->second;
}

const std::map<std::string_view, std::string_view> component_words{{"capitation", "Vårdpeng"},
                                                                   {"variable", "Rörlig ersättning"},
                                                                   {"supplementary", "Tilläggsersättning"},
                                                                   {"target", "Målrelaterad ersättning"},
                                                                   {"sparsity", "Glesbygdsersättning"},
                                                                   {"visit", "Besöksersättning"},
                                                                   {"deficit_compensation", "Underskottstäckning"}};

const std::map<std::string_view, std::string_view> overhead_words{{"vat_compensation", "Momskompensation"},
                                                                  {"it", "IT-ersättning"},
                                                                  {"finance_admin", "Ersättning ekonomiadministration"},
                                                                  {"hr_admin", "Ersättning HR-administration"},
                                                                  {"payroll_admin", "Ersättning löneadministration"},
                                                                  {"premises", "Lokalersättning"},
                                                                  {"other", "Övrig overheadersättning"}};
const std::map<std::string_view, std::string_view> charge_words{{"office_licences", "kontorslicenser"},
                                                                {"helpdesk", "helpdesk"},
                                                                {"finance_admin", "ekonomiadministration"},
                                                                {"hr_admin", "HR-administration"},
                                                                {"payroll_admin", "löneadministration"},
                                                                {"it_other", "övrig IT"},
                                                                {"other", "övrigt"}};

std::string_view lookup(const std::map<std::string_view, std::string_view>& table, std::string_view key,
                        std::string_view what) {
    const auto found = table.find(key);
    if (found == table.end())
        throw std::invalid_argument("the sample's chart has no account for " + std::string(what) + " '" +
                                    std::string(key) + "'");
    return found->second;
}

struct Party {
    std::string object;  // cost centre (internal) or supplier number (external)
    bool internal = false;
    std::string name;
    PartyRegistered registered;
};

std::string region_name(const std::string& code) {
    const auto* region = sample_detail::find_region(code);
    if (region == nullptr) throw std::invalid_argument("unknown sample region '" + code + "'");
    return std::string(region->name);
}

sie::Date date_of(const std::string& iso) {
    return {std::stoi(iso.substr(0, 4)), std::stoi(iso.substr(5, 2)), std::stoi(iso.substr(8, 2))};
}

// Builds the document while the events go by.
class Booker {
public:
    explicit Booker(const SampleSpec& spec) : spec_(spec) {}

    void add(const Event& event) {
        if (std::holds_alternative<BudgetSet>(event.data)) return;  // a plan, set ahead: nothing booked
        const int month = std::stoi(event.period.substr(5, 2));
        while (ordinary_month_ < month - 1) ordinary_bookings(++ordinary_month_);
        std::visit([&](const auto& data) { book(event, data); }, event.data);
    }

    const std::map<std::string, Party>& parties() const { return parties_; }
    sie::SieDocument finish();

private:
    // ---- the parties -------------------------------------------------------------------
    void book(const Event&, const PartyRegistered& p) {
        Party party;
        party.registered = p;
        party.name = p.name;
        const bool external = p.side == Side::external || p.side == Side::private_provider;
        party.internal = !external;
        if (const auto fixed = fixed_cost_centres().find(p.party_id); fixed != fixed_cost_centres().end())
            party.object = fixed->second;
        else if (party.internal)
            party.object = std::to_string(cost_centre_first(p.provider_type) +
                                          cost_centre_step * internal_units_[cost_centre_first(p.provider_type)]++);
        else
            party.object = "L" + std::to_string(counterparty_first + external_units_++);
        parties_.emplace(p.party_id, std::move(party));
    }

    const Party& party(const std::string& id) const {
        const auto found = parties_.find(id);
        if (found == parties_.end()) throw std::invalid_argument("the sample names an unregistered party " + id);
        return found->second;
    }
    std::vector<ObjectRef> at(const std::string& id, const std::string& counterparty) const {
        std::vector<ObjectRef> objects;
        if (party(id).internal) objects.push_back({sample_cost_centre_dimension, party(id).object});
        objects.push_back({sample_counterparty_dimension, party(counterparty).object});
        return objects;
    }
    std::vector<ObjectRef> counterparty(const std::string& id) const {
        return {{sample_counterparty_dimension, party(id).object}};
    }

    // ---- the rows ------------------------------------------------------------------------
    static sie::TransRow row(std::string_view account, std::vector<ObjectRef> objects, Money amount) {
        sie::TransRow r;
        r.account = std::string(account);
        r.objects = std::move(objects);
        r.amount = amount;
        return r;
    }
    // The row that pays `to` from `from`'s cost centre, and its other side: the internal
    // income on `to`'s cost centre or the supplier debt.
    void pay(sie::Verification& v, std::string_view account, std::string_view internal_income, const std::string& from,
             const std::string& to, Money amount) const {
        v.rows.push_back(row(account, at(from, to), amount));
        if (party(to).internal)
            v.rows.push_back(row(internal_income, at(to, from), Money::from_ore(-amount.ore())));
        else
            v.rows.push_back(row("2440", counterparty(to), Money::from_ore(-amount.ore())));
    }
    sie::Verification& open(const Event& event, std::string_view series, std::string text) {
        auto& v = next(series, date_of(event.occurred_on), std::move(text));
        by_event_.emplace(event.event_id, verifications_.size() - 1);
        return v;
    }
    std::string month_of(const Event& event) const { return event.period; }

    // ---- the financial events --------------------------------------------------------------
    void book(const Event& e, const PaymentMade& p) {
        const std::string text = std::string(lookup(component_words, p.component, "the component")) + " " +
                                 month_of(e) + " " + party(p.provider_id).name;
        pay(open(e, "A", text), lookup(payment_accounts_of(e.scheme), p.component, "the component"), "3511", p.payer_id,
            p.provider_id, p.amount);
    }
    void book(const Event& e, const OverheadCompensated& o) {
        auto& v = open(e, "A",
                       std::string(lookup(overhead_words, o.category, "the overhead category")) + " " + month_of(e) +
                           " " + party(o.provider_id).name);
        pay(v, lookup(overhead_accounts_of(e.scheme), o.category, "the overhead category"), "3511", o.payer_id,
            o.provider_id, o.amount);
    }
    void book(const Event& e, const InternalChargeBooked& c) {
        auto& v =
            open(e, "I",
                 "Intern debitering " + std::string(lookup(charge_words, c.category, "the internal charge category")) +
                     " " + month_of(e) + " " + party(c.party_id).name);
        pay(v, lookup(internal_charge_accounts, c.category, "the internal charge category"), "3911", c.party_id,
            c.charged_by, c.amount);
    }
    void book(const Event& e, const SharedCostIncurred& s);
    void book(const Event& e, const CommitmentCostIncurred& c);
    void book(const Event& e, const AppropriationGranted& a);
    void book(const Event& e, const ServicePurchased& s);
    void book(const Event& e, const EntryReversed& r);
    template <typename Other>
    void book(const Event&, const Other&) {}  // no money moves (listings, closes, budgets)

    void ordinary_bookings(int month);
    sie::Verification& next(std::string_view series, sie::Date date, std::string text);

    SampleSpec spec_;
    std::map<std::string, Party> parties_;
    std::map<std::string, int> numbers_;  // last verification number per series
    std::vector<sie::Verification> verifications_;
    std::map<std::string, std::size_t> by_event_;  // event id -> its verification
    std::map<int, int> internal_units_;            // per first cost centre: the units numbered so far
    int external_units_ = 0;
    int ordinary_month_ = 0;  // the last month whose salaries and rent are booked
};

void Booker::book(const Event& e, const SharedCostIncurred& s) {
    auto& v = open(e, "A", "Faktura " + e.source_reference + " " + party(s.vendor_id).name);
    std::vector<Weight> shares;
    for (const auto& payer : s.paid_by) shares.push_back({payer.party_id, payer.share.scaled()});
    const std::string_view account = lookup(shared_cost_accounts, s.service, "the shared service");
    for (const auto& part : split_largest_remainder(s.amount, shares))
        v.rows.push_back(row(account, at(part.party_id, s.vendor_id), part.amount));
    v.rows.push_back(row("2440", counterparty(s.vendor_id), Money::from_ore(-s.amount.ore())));
}

void Booker::book(const Event& e, const CommitmentCostIncurred& c) {
    const auto& project = project_of(e, c.commitment);
    auto& v = open(e, "L", c.description.value_or(std::string(project.second)) + " " + month_of(e));
    v.rows.push_back(row("5012",
                         {{sample_cost_centre_dimension, party(c.borne_by).object},
                          {sample_project_dimension, std::string(project.first)}},
                         c.amount));
    v.rows.push_back(row("1930", {}, Money::from_ore(-c.amount.ore())));
}

void Booker::book(const Event& e, const AppropriationGranted& a) {
    const auto& found = project_of(e, a.purpose);
    auto& v = open(e, "I", "Anslag " + std::string(found.second) + " " + party(a.party_id).name);
    const ObjectRef project{sample_project_dimension, std::string(found.first)};
    auto objects = at(a.granted_by, a.party_id);
    objects.push_back(project);
    v.rows.push_back(row("4591", std::move(objects), a.amount));
    auto back = at(a.party_id, a.granted_by);
    back.push_back(project);
    v.rows.push_back(row("3591", std::move(back), Money::from_ore(-a.amount.ore())));
}

void Booker::book(const Event& e, const ServicePurchased& s) {
    const bool internal = party(s.buyer_id).internal;
    auto& v = open(e, internal ? "I" : "F", "OMI-besök " + month_of(e) + " " + party(s.buyer_id).name);
    auto sold = row("3541", at(s.seller_id, s.buyer_id), Money::from_ore(-s.amount.ore()));
    sold.quantity = "-" + std::to_string(s.quantity);
    v.rows.push_back(std::move(sold));
    if (internal)
        v.rows.push_back(row("4541", at(s.buyer_id, s.seller_id), s.amount));
    else
        v.rows.push_back(row("1510", counterparty(s.buyer_id), s.amount));
}

void Booker::book(const Event& e, const EntryReversed& r) {
    const auto found = by_event_.find(r.reverses);
    if (found == by_event_.end()) throw std::invalid_argument("the sample reverses an event it did not book");
    const sie::Verification original = verifications_[found->second];
    auto& v = open(e, "K", "Rättelse av " + original.series + " " + original.number + ": " + r.reason);
    for (const auto& booked : original.rows) {
        auto negated = booked;
        negated.amount = Money::from_ore(-booked.amount.ore());
        v.rows.push_back(std::move(negated));
    }
}

sie::Verification& Booker::next(std::string_view series, sie::Date date, std::string text) {
    sie::Verification v;
    v.series = std::string(series);
    v.number = std::to_string(++numbers_[v.series]);
    v.date = date;
    v.text = std::move(text);
    verifications_.push_back(std::move(v));
    return verifications_.back();
}

// Salaries and rent of every region-run unit in one month: ordinary bookings that the
// mapping ignores, so that the file is more than the choice system.
void Booker::ordinary_bookings(int month) {
    int unit = 0;
    const sie::Date date{spec_.year, month, posting_day};
    const std::string yyyymm = date.iso().substr(0, 7);
    for (const auto& [id, p] : parties_) {
        if (!p.internal || p.registered.kind != Kind::provider) continue;
        const Money salary = Money::from_ore(salary_base_ore + salary_step_ore * (unit % salary_steps));
        const Money rent = Money::from_ore(rent_base_ore + rent_step_ore * (unit % rent_steps));
        ++unit;
        const std::vector<ObjectRef> unit_objects{{sample_cost_centre_dimension, p.object}};
        next("L", date, "Löner " + yyyymm + " " + p.name).rows = {row("5010", unit_objects, salary),
                                                                  row("1930", {}, Money::from_ore(-salary.ore()))};
        next("A", date, "Lokalhyra " + yyyymm + " " + p.name).rows = {
            row("6110", unit_objects, rent),
            row("2440", {{sample_counterparty_dimension, std::string(landlord_object)}}, Money::from_ore(-rent.ore()))};
    }
}

void add_balances(sie::SieDocument& d) {
    std::map<std::string, Money> year;
    std::map<std::pair<std::string, int>, Money> months;
    for (const auto& v : d.verifications)
        for (const auto& r : v.rows) {
            year[r.account] = year[r.account] + r.amount;
            auto& m = months[{r.account, v.date.month}];
            m = m + r.amount;
        }
    for (const auto& [account, amount] : year) {
        sie::Balance b;
        b.account = account;
        b.amount = amount;
        (account[0] <= '2' ? d.ub : d.res).push_back(b);
    }
    for (const auto& [key, amount] : months) {
        if (key.first[0] <= '2') continue;
        sie::PeriodBalance p;
        p.period = {d.rar.front().start.year, key.second};
        p.account = key.first;
        p.amount = amount;
        d.psaldo.push_back(p);
    }
}

sie::SieDocument Booker::finish() {
    while (ordinary_month_ < months_per_year) ordinary_bookings(++ordinary_month_);
    sie::SieDocument d;
    d.sietyp = 4;
    d.format = "PC8";
    d.program = "Likvärd exempelbokföring";
    d.program_version = "1";
    d.generated_on = sie::Date{spec_.year + 1, 1, posting_day};
    d.orgnr = spec_.region == "SE-Z" ? "232100-9991" : spec_.region == "SE-AC" ? "232100-9992" : "232100-9993";
    d.fnamn = region_name(spec_.region) + " (exempel)";
    d.kptyp = "EUBAS97";
    d.valuta = "SEK";
    d.rar.push_back({
        0,
        {spec_.year, 1, 1},
        {spec_.year, 12, 31},
        0,
    });
    for (const auto& a : accounts) {
        sie::Account& account = d.accounts[std::string(a.number)];
        account.number = std::string(a.number);
        account.name = std::string(a.name);
        account.type = a.number[0] == '1' ? "T" : a.number[0] == '2' ? "S" : a.number[0] == '3' ? "I" : "K";
    }
    const std::pair<int, std::string_view> dimensions[] = {{sample_cost_centre_dimension, "Kostnadsställe"},
                                                           {sample_project_dimension, "Projekt"},
                                                           {sample_counterparty_dimension, "Motpart"}};
    for (const auto& [number, name] : dimensions) {
        d.dimensions[number].number = number;
        d.dimensions[number].name = std::string(name);
    }
    for (const auto& [id, p] : parties_) {
        if (p.internal)
            d.objects[{sample_cost_centre_dimension, p.object}] = {sample_cost_centre_dimension, p.object, p.name};
        d.objects[{sample_counterparty_dimension, p.object}] = {sample_counterparty_dimension, p.object, p.name};
    }
    d.objects[{sample_counterparty_dimension, std::string(landlord_object)}] = {
        sample_counterparty_dimension, std::string(landlord_object), "Fastighetsbolaget (hyresvärd)"};
    for (const auto& [purpose, project] : projects)
        d.objects[{sample_project_dimension, std::string(project.first)}] = {
            sample_project_dimension, std::string(project.first), std::string(project.second)};
    d.objects[{sample_project_dimension, std::string(dental_project.first)}] = {
        sample_project_dimension, std::string(dental_project.first), std::string(dental_project.second)};
    d.verifications = std::move(verifications_);
    add_balances(d);
    return d;
}

Booker booked(const SampleSpec& spec) {
    Booker booker(spec);
    // The generator's events pass the contract (tests/unit/sample_test.cpp checks every
    // line as `likvard check` does), so they are read without validating them again.
    for (const auto& line : generate_sample(spec)) {
        const auto event = decode_stored(line);
        if (!event) throw std::logic_error("the sample generator wrote an event that does not decode");
        booker.add(*event);
    }
    return booker;
}

}  // namespace

sie::SieDocument sample_general_ledger(const SampleSpec& spec) { return booked(spec).finish(); }

std::vector<SampleObject> sample_party_objects(const SampleSpec& spec) {
    std::vector<SampleObject> objects;
    const Booker booker = booked(spec);
    for (const auto& [id, p] : booker.parties()) {
        SampleObject o{0,
                       p.object,
                       id,
                       p.name,
                       std::string(kind_name(p.registered.kind)),
                       std::string(side_name(p.registered.side)),
                       p.registered.provider_type.value_or(""),
                       p.registered.area.value_or("")};
        if (p.internal) {
            o.dimension = sample_cost_centre_dimension;
            objects.push_back(o);
        }
        o.dimension = sample_counterparty_dimension;
        objects.push_back(o);
    }
    std::sort(objects.begin(), objects.end(), [](const SampleObject& a, const SampleObject& b) {
        return std::tie(a.dimension, a.id) < std::tie(b.dimension, b.id);
    });
    return objects;
}

namespace {

// A CSV field, quoted when it holds the separator or a quote.
std::string field(const std::string& text) {
    if (text.find_first_of(";\"") == std::string::npos) return text;
    std::string quoted = "\"";
    for (const char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    return quoted + "\"";
}

}  // namespace

std::string sample_party_map(const SampleSpec& spec) {
    std::string csv = "dimension;object;party_id;name;kind;side;provider_type;area\n";
    for (const auto& o : sample_party_objects(spec))
        csv += std::to_string(o.dimension) + ";" + field(o.id) + ";" + field(o.party_id) + ";" + field(o.name) + ";" +
               o.kind + ";" + o.side + ";" + o.provider_type + ";" + field(o.area) + "\n";
    return csv;
}

}  // namespace likvard
