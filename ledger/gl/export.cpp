// One year of the ledger's postings as an SIE 4E document: the verifications are the
// financial events (by seq), their rows the postings on the built-in chart's numbers with
// the party (dimension 1) and the scheme (dimension 20) as objects.
#include <stdexcept>

#include "gl/gl.hpp"

namespace likvard::gl {
namespace {

constexpr const char* verification_series = "L";

sie::Date date_of(const std::string& iso) {  // YYYY-MM-DD from the database: always well formed
    return {std::stoi(iso.substr(0, 4)), std::stoi(iso.substr(5, 2)), std::stoi(iso.substr(8, 2))};
}

sie::Month month_of(const std::string& period) {
    return {std::stoi(period.substr(0, 4)), std::stoi(period.substr(5, 2))};
}

std::string account_type(const std::string& account_class) {
    if (account_class == "income" || account_class == "benefit") return "I";
    if (account_class == "expense") return "K";
    return "S";  // settlement: the bearer's own resources
}

std::string number_of(const LedgerPosting& posting) {
    const auto number = chart_number(posting.account);
    if (!number)
        throw std::invalid_argument("the account " + posting.party + ":" + posting.account.account_class + ":" +
                                    posting.account.item + " (event " + posting.event_id +
                                    ") has no number in the built-in chart");
    return *number;
}

void add_account(sie::SieDocument& document, const std::string& number) {
    if (document.accounts.contains(number)) return;
    const ChartAccount account = *chart_account(number);
    document.accounts[number] = sie::Account{
        number, account.account_class + ":" + account.item, account_type(account.account_class), "", {}, 0};
}

void add_objects(sie::SieDocument& document, const LedgerExtract& extract) {
    document.dimensions[party_dimension] = {party_dimension, "Part", std::nullopt, 0};
    document.dimensions[scheme_dimension] = {scheme_dimension, "Vårdval", std::nullopt, 0};
    for (const auto& [party, name] : extract.party_names)
        document.objects[{party_dimension, party}] = {party_dimension, party, name, 0};
    for (const auto& posting : extract.postings) {
        document.objects.try_emplace({party_dimension, posting.party},
                                     sie::Object{party_dimension, posting.party, posting.party, 0});
        document.objects.try_emplace({scheme_dimension, posting.scheme},
                                     sie::Object{scheme_dimension, posting.scheme, posting.scheme, 0});
    }
}

sie::TransRow row_of(const LedgerPosting& posting, const std::string& number) {
    sie::TransRow row;
    row.account = number;
    row.objects = {{party_dimension, posting.party}, {scheme_dimension, posting.scheme}};
    row.amount = posting.amount;
    const sie::Date occurred = date_of(posting.occurred_on);
    // The month of a row is the accounting month: a business date outside it gives the row
    // the period's first day as its transaction date.
    if (sie::Month{occurred.year, occurred.month} != month_of(posting.period))
        row.date = sie::Date{month_of(posting.period).year, month_of(posting.period).month, 1};
    return row;
}

void add_verifications(sie::SieDocument& document, const LedgerExtract& extract, int year,
                       std::map<std::string, Money>& year_sums,
                       std::map<std::pair<sie::Month, std::string>, Money>& month_sums) {
    std::int64_t number = 0;
    std::int64_t seq_current = -1;
    for (const auto& posting : extract.postings) {
        if (month_of(posting.period).year != year) continue;
        if (posting.seq != seq_current) {
            seq_current = posting.seq;
            sie::Verification verification;
            verification.series = verification_series;
            verification.number = std::to_string(++number);
            verification.date = date_of(posting.occurred_on);
            verification.text = posting.type + " " + posting.event_id;
            document.verifications.push_back(std::move(verification));
        }
        const std::string account = number_of(posting);
        add_account(document, account);
        document.verifications.back().rows.push_back(row_of(posting, account));
        year_sums[account] += posting.amount;
        month_sums[{month_of(posting.period), account}] += posting.amount;
    }
}

}  // namespace

sie::SieDocument export_document(const LedgerExtract& extract, const ExportSpec& spec) {
    sie::SieDocument document;
    document.flagga = 0;
    document.sietyp = 4;
    document.format = "PC8";
    document.program = "Likvärd";
    document.program_version = spec.program_version;
    document.generated_on = spec.generated_on;
    document.fnamn = extract.region;
    document.rar = {{0, {spec.year, 1, 1}, {spec.year, 12, 31}, 0}};
    add_objects(document, extract);
    std::map<std::string, Money> year_sums;
    std::map<std::pair<sie::Month, std::string>, Money> month_sums;
    add_verifications(document, extract, spec.year, year_sums, month_sums);
    for (const auto& [account, sum] : year_sums) document.res.push_back({0, account, {}, sum, std::nullopt, 0});
    for (const auto& [key, sum] : month_sums)
        document.psaldo.push_back({0, key.first, key.second, {}, sum, std::nullopt, 0});
    return document;
}

}  // namespace likvard::gl
