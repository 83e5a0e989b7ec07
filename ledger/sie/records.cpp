// The SIE records outside verifications: identification (#FLAGGA ... #VALUTA), the chart
// of accounts and objects (#KONTO ... #OBJEKT) and the balances (#IB ... #PBUDGET), each
// read field by field as section 11 of the specification lists them.
#include "sie/detail/reader.hpp"

namespace likvard::sie::detail {
namespace {

constexpr int year_index_min = -99;  // #RAR and the balances: 0 this year, -1 the one before, ...
constexpr int tax_year_min = 1900;
constexpr int tax_year_max = 9999;

Parsed<std::string> as_text(std::string_view text) { return {std::string(text), {}}; }
Parsed<int> year_index(std::string_view text) { return parse_int(text, year_index_min, 0); }
Parsed<int> dimension_number(std::string_view text) { return parse_int(text, 0, dimension_max); }

Parsed<std::string> account_type(std::string_view text) {
    if (text == "T" || text == "S" || text == "K" || text == "I") return {std::string(text), {}};
    return {std::nullopt, quoted_for_message(text) + " is not T, S, K or I (asset, liability, cost, income)"};
}

}  // namespace

const std::map<std::string_view, Reader::Handler>& Reader::handlers() {
    static const std::map<std::string_view, Handler> table{
        {"#FLAGGA", &Reader::flagga},
        {"#FORMAT", &Reader::format},
        {"#SIETYP", &Reader::sietyp},
        {"#PROGRAM", &Reader::program},
        {"#GEN", &Reader::gen},
        {"#PROSA", &Reader::prosa},
        {"#FTYP", &Reader::text_record},
        {"#FNR", &Reader::text_record},
        {"#ORGNR", &Reader::orgnr},
        {"#BKOD", &Reader::text_record},
        {"#ADRESS", &Reader::adress},
        {"#FNAMN", &Reader::text_record},
        {"#RAR", &Reader::rar},
        {"#TAXAR", &Reader::taxar},
        {"#OMFATTN", &Reader::omfattn},
        {"#KPTYP", &Reader::text_record},
        {"#VALUTA", &Reader::text_record},
        {"#KONTO", &Reader::konto},
        {"#KTYP", &Reader::account_detail},
        {"#ENHET", &Reader::account_detail},
        {"#SRU", &Reader::account_detail},
        {"#DIM", &Reader::dim},
        {"#UNDERDIM", &Reader::underdim},
        {"#OBJEKT", &Reader::objekt},
        {"#IB", &Reader::balance},
        {"#UB", &Reader::balance},
        {"#RES", &Reader::balance},
        {"#OIB", &Reader::object_balance},
        {"#OUB", &Reader::object_balance},
        {"#PSALDO", &Reader::period_balance},
        {"#PBUDGET", &Reader::period_balance},
        {"#VER", &Reader::ver},
        {"#KSUMMA", &Reader::ksumma},
    };
    return table;
}

// ---- field access ---------------------------------------------------------------------

std::optional<std::string_view> Reader::text(const Line& line, std::size_t index, std::string_view name) {
    if (index >= line.fields.size()) {
        problem(line, std::string(name) + " is missing");
        return std::nullopt;
    }
    if (line.fields[index].is_list) {
        problem(line, std::string(name) + " is an object list {...} where a value belongs");
        return std::nullopt;
    }
    return line.fields[index].text;
}

std::string_view Reader::optional_text(const Line& line, std::size_t index) {
    if (index >= line.fields.size() || line.fields[index].is_list) return {};
    return line.fields[index].text;
}

std::optional<std::vector<ObjectRef>> Reader::objects(const Line& line, std::size_t index, std::size_t& shift) {
    shift = 0;
    if (index < line.fields.size() && !line.fields[index].is_list) {
        shift = 1;
        if (rows_without_objects_++ == 0) first_row_without_objects_ = line_;
        return std::vector<ObjectRef>{};
    }
    if (index >= line.fields.size()) {
        problem(line, "objects {...} are missing");
        return std::nullopt;
    }
    auto parsed = parse_objects(line.fields[index]);
    if (!parsed) problem(line, "objects " + parsed.error);
    return parsed.value;
}

// A record that may appear once: the first is kept, a repetition is a problem.
bool Reader::first_time(const Line& line) {
    const auto [found, inserted] = single_records_.emplace(line.label, line_);
    if (!inserted) problem(line, "appears again; the one on line " + std::to_string(found->second) + " is kept");
    return inserted;
}

// ---- identification ---------------------------------------------------------------------

void Reader::flagga(const Line& line) {
    if (!first_time(line)) return;
    if (auto flag = take(line, 0, "flag", [](std::string_view t) { return parse_int(t, 0, 1); }))
        document().flagga = *flag;
}

void Reader::format(const Line& line) {
    if (!first_time(line)) return;
    if (auto format = take(line, 0, "character set", as_text)) document().format = *format;
}

void Reader::sietyp(const Line& line) {
    if (!first_time(line)) return;
    if (auto type = take(line, 0, "type", [](std::string_view t) { return parse_int(t, 1, 4); }))
        document().sietyp = *type;
}

void Reader::program(const Line& line) {
    if (!first_time(line)) return;
    if (auto name = take(line, 0, "program name", as_text)) document().program = *name;
    document().program_version = optional_text(line, 1);
}

void Reader::gen(const Line& line) {
    if (!first_time(line)) return;
    document().generated_on = take(line, 0, "date", parse_date);
    document().generated_by = optional_text(line, 1);
}

void Reader::prosa(const Line& line) {
    if (auto text = take(line, 0, "text", as_text)) document().prosa.push_back(*text);
}

// #FTYP, #FNR, #BKOD, #FNAMN, #KPTYP, #VALUTA: one text each.
void Reader::text_record(const Line& line) {
    if (!first_time(line)) return;
    const auto value = take(line, 0, "value", as_text);
    if (!value) return;
    SieDocument& d = document();
    std::string* target = line.label == "#FTYP"    ? &d.ftyp
                          : line.label == "#FNR"   ? &d.fnr
                          : line.label == "#BKOD"  ? &d.bkod
                          : line.label == "#FNAMN" ? &d.fnamn
                          : line.label == "#KPTYP" ? &d.kptyp
                                                   : &d.valuta;
    *target = *value;
}

void Reader::orgnr(const Line& line) {
    if (!first_time(line)) return;
    document().orgnr = optional_text(line, 0);
    if (document().orgnr.empty())
        note(line.label, "has no organisation number (the specification says to leave the record out then)", line_);
}

void Reader::adress(const Line& line) {
    if (!first_time(line)) return;
    document().address = Address{std::string(optional_text(line, 0)), std::string(optional_text(line, 1)),
                                 std::string(optional_text(line, 2)), std::string(optional_text(line, 3))};
}

void Reader::rar(const Line& line) {
    const auto index = take(line, 0, "year", year_index);
    const auto start = take(line, 1, "start", parse_date);
    const auto end = take(line, 2, "end", parse_date);
    if (!index || !start || !end) return;
    if (*end < *start) return problem(line, "end " + end->sie() + " is before start " + start->sie());
    for (const FiscalYear& year : document().rar)
        if (year.index == *index)
            return problem(line, "year " + std::to_string(*index) + " appears again; the one on line " +
                                     std::to_string(year.line) + " is kept");
    document().rar.push_back({*index, *start, *end, line_});
}

void Reader::taxar(const Line& line) {
    if (!first_time(line)) return;
    document().taxar =
        take(line, 0, "year", [](std::string_view t) { return parse_int(t, tax_year_min, tax_year_max); });
}

void Reader::omfattn(const Line& line) {
    if (!first_time(line)) return;
    document().omfattn = take(line, 0, "date", parse_date);
}

// ---- the chart of accounts and objects ---------------------------------------------------

void Reader::konto(const Line& line) {
    const auto number = take(line, 0, "account", parse_account);
    if (!number) return;
    const auto [found, inserted] =
        document().accounts.emplace(*number, Account{*number, std::string(optional_text(line, 1)), {}, {}, {}, line_});
    if (!inserted)
        problem(line, "account " + *number + " appears again; the one on line " + std::to_string(found->second.line) +
                          " is kept");
}

Account* Reader::declared_account(const Line& line, const std::string& number) {
    const auto found = document().accounts.find(number);
    if (found != document().accounts.end()) return &found->second;
    problem(line, "account " + number + " has no #KONTO before it");
    return nullptr;
}

// #KTYP, #ENHET, #SRU: more about an account declared before.
void Reader::account_detail(const Line& line) {
    const auto number = take(line, 0, "account", parse_account);
    const bool type = line.label == "#KTYP";
    const auto value = take(line, 1,
                            type                     ? "type"
                            : line.label == "#ENHET" ? "unit"
                                                     : "SRU code",
                            type ? account_type : as_text);
    if (!number || !value) return;
    Account* account = declared_account(line, *number);
    if (account == nullptr) return;
    if (line.label == "#SRU")
        account->sru.push_back(*value);
    else
        (type ? account->type : account->unit) = *value;
}

void Reader::dim(const Line& line) {
    const auto number = take(line, 0, "dimension", dimension_number);
    const auto name = take(line, 1, "name", as_text);
    if (!number || !name) return;
    const auto [found, inserted] = document().dimensions.emplace(*number, Dimension{*number, *name, {}, line_});
    if (!inserted)
        problem(line, "dimension " + std::to_string(*number) + " appears again; the one on line " +
                          std::to_string(found->second.line) + " is kept");
}

void Reader::underdim(const Line& line) {
    const auto number = take(line, 0, "dimension", dimension_number);
    const auto name = take(line, 1, "name", as_text);
    const auto parent = take(line, 2, "superdimension", dimension_number);
    if (!number || !name || !parent) return;
    const auto [found, inserted] = document().dimensions.emplace(*number, Dimension{*number, *name, *parent, line_});
    if (!inserted)
        problem(line, "dimension " + std::to_string(*number) + " appears again; the one on line " +
                          std::to_string(found->second.line) + " is kept");
}

void Reader::objekt(const Line& line) {
    const auto dimension = take(line, 0, "dimension", dimension_number);
    const auto id = take(line, 1, "object", as_text);
    const auto name = take(line, 2, "name", as_text);
    if (!dimension || !id || !name) return;
    if (id->empty()) return problem(line, "object is empty");
    const ObjectRef key{*dimension, *id};
    const auto [found, inserted] = document().objects.emplace(key, Object{*dimension, *id, *name, line_});
    if (!inserted)
        problem(line, "object " + std::to_string(*dimension) + " " + quoted_for_message(*id) +
                          " appears again; the one on line " + std::to_string(found->second.line) + " is kept");
}

// ---- balances ---------------------------------------------------------------------------

// #IB, #UB, #RES: year account amount [quantity]
void Reader::balance(const Line& line) {
    const auto year = take(line, 0, "year", year_index);
    const auto account = take(line, 1, "account", parse_account);
    const auto amount = take(line, 2, "amount", Money::parse);
    Balance balance{year.value_or(0), account.value_or(""), {}, amount.value_or(Money{}), {}, line_};
    if (!take_optional(line, 3, "quantity", parse_quantity, balance.quantity) || !year || !account || !amount) return;
    auto& target = line.label == "#IB" ? document().ib : line.label == "#UB" ? document().ub : document().res;
    target.push_back(std::move(balance));
}

// #OIB, #OUB: year account {objects} amount [quantity]
void Reader::object_balance(const Line& line) {
    const auto year = take(line, 0, "year", year_index);
    const auto account = take(line, 1, "account", parse_account);
    std::size_t shift = 0;
    auto objects_read = objects(line, 2, shift);
    const auto amount = take(line, 3 - shift, "amount", Money::parse);
    Balance balance{year.value_or(0),
                    account.value_or(""),
                    objects_read.value_or(std::vector<ObjectRef>{}),
                    amount.value_or(Money{}),
                    {},
                    line_};
    if (!take_optional(line, 4 - shift, "quantity", parse_quantity, balance.quantity) || !year || !account ||
        !objects_read || !amount)
        return;
    (line.label == "#OIB" ? document().oib : document().oub).push_back(std::move(balance));
}

// #PSALDO, #PBUDGET: year period account {objects} amount [quantity]
void Reader::period_balance(const Line& line) {
    const auto year = take(line, 0, "year", year_index);
    const auto period = take(line, 1, "period", parse_month);
    const auto account = take(line, 2, "account", parse_account);
    std::size_t shift = 0;
    auto objects_read = objects(line, 3, shift);
    const auto amount = take(line, 4 - shift, "amount", Money::parse);
    PeriodBalance balance{year.value_or(0),
                          period.value_or(Month{}),
                          account.value_or(""),
                          objects_read.value_or(std::vector<ObjectRef>{}),
                          amount.value_or(Money{}),
                          {},
                          line_};
    if (!take_optional(line, 5 - shift, "quantity", parse_quantity, balance.quantity) || !year || !period || !account ||
        !objects_read || !amount)
        return;
    (line.label == "#PSALDO" ? document().psaldo : document().pbudget).push_back(std::move(balance));
}

}  // namespace likvard::sie::detail
