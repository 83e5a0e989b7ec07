// The built-in chart: a number for every account class and item of the ledger's account
// chart, from two tables (classes, item families with their members), the two tables of
// ledger/sie/README.md ("The built-in chart"); chart_table() lists every number.
#include <algorithm>
#include <array>
#include <string_view>

#include "gl/gl.hpp"

namespace likvard::gl {
namespace {

constexpr int member_unlisted = 99;  // any member a family does not list (free-text services)

struct ClassCode {
    std::string_view account_class;
    char digit;
};

constexpr std::array<ClassCode, 4> classes{{
    {"settlement", '2'},  // the bearer's own resources (commitment costs)
    {"income", '3'},
    {"expense", '4'},
    {"benefit", '5'},  // income in kind from a shared service
}};

struct Family {
    std::string_view prefix;
    char digit;
    std::vector<std::string_view> members;  // member n (1-based) is number n
};

const std::vector<std::string_view> services{"e_frikort", "waiting_room_tv", "acute_module", "other"};
const std::vector<std::string_view> commitments{"on_call_coordination", "st_director_of_studies",
                                                "bt_director_of_studies", "scheduling_payroll_billing_admin", "other"};

const std::vector<Family>& families() {
    static const std::vector<Family> table{
        {"service_sold", '0', {"omi"}},
        {"compensation",
         '1',
         {"capitation", "variable", "supplementary", "target", "sparsity", "visit", "deficit_compensation"}},
        {"overhead",
         '2',
         {"it", "finance_admin", "hr_admin", "payroll_admin", "premises", "vat_compensation", "other"}},
        {"internal_charge",
         '3',
         {"office_licences", "helpdesk", "finance_admin", "hr_admin", "payroll_admin", "it_other", "other"}},
        {"shared_cost", '4', services},
        {"sales", '5', services},
        {"in_kind", '6', services},
        {"commitment", '7', commitments},
        {"appropriation",
         '8',
         {"on_call_coordination", "st_director_of_studies", "bt_director_of_studies",
          "scheduling_payroll_billing_admin", "other", "lof_lol", "shared_cost.e_frikort",
          "shared_cost.waiting_room_tv", "shared_cost.acute_module", "shared_cost.other"}},
        {"service_bought", '9', {"omi"}},
    };
    return table;
}

const ClassCode* class_by_name(std::string_view name) {
    for (const auto& c : classes)
        if (c.account_class == name) return &c;
    return nullptr;
}

const ClassCode* class_by_digit(char digit) {
    for (const auto& c : classes)
        if (c.digit == digit) return &c;
    return nullptr;
}

std::string two_digits(int n) { return {static_cast<char>('0' + n / 10), static_cast<char>('0' + n % 10)}; }

}  // namespace

std::optional<std::string> chart_number(const ChartAccount& account) {
    const ClassCode* account_class = class_by_name(account.account_class);
    const auto dot = account.item.find('.');
    if (account_class == nullptr || dot == std::string::npos) return std::nullopt;
    const std::string_view prefix = std::string_view(account.item).substr(0, dot);
    const std::string_view member = std::string_view(account.item).substr(dot + 1);
    for (const auto& family : families()) {
        if (family.prefix != prefix) continue;
        int code = member_unlisted;
        for (std::size_t i = 0; i < family.members.size(); ++i)
            if (family.members[i] == member) code = static_cast<int>(i) + 1;
        return std::string{account_class->digit, family.digit} + two_digits(code);
    }
    return std::nullopt;
}

std::optional<ChartAccount> chart_account(const std::string& number) {
    if (number.size() != 4) return std::nullopt;
    for (char c : number)
        if (c < '0' || c > '9') return std::nullopt;
    const ClassCode* account_class = class_by_digit(number[0]);
    if (account_class == nullptr) return std::nullopt;
    const int code = (number[2] - '0') * 10 + (number[3] - '0');
    for (const auto& family : families()) {
        if (family.digit != number[1]) continue;
        const std::string prefix(family.prefix);
        if (code == member_unlisted) return ChartAccount{std::string(account_class->account_class), prefix + ".*"};
        if (code < 1 || code > static_cast<int>(family.members.size())) return std::nullopt;
        return ChartAccount{std::string(account_class->account_class),
                            prefix + "." + std::string(family.members[code - 1])};
    }
    return std::nullopt;
}

std::optional<ChartAccount> chart_key(const ChartAccount& account) {
    const auto number = chart_number(account);
    if (!number) return std::nullopt;
    return chart_account(*number);
}

std::vector<std::pair<std::string, ChartAccount>> chart_table() {
    std::vector<std::pair<std::string, ChartAccount>> table;
    for (const auto& c : classes)
        for (const auto& family : families())
            for (std::size_t i = 0; i <= family.members.size(); ++i) {
                const int code = i == family.members.size() ? member_unlisted : static_cast<int>(i) + 1;
                const std::string number = std::string{c.digit, family.digit} + two_digits(code);
                if (auto account = chart_account(number)) table.emplace_back(number, *account);
            }
    std::sort(table.begin(), table.end());
    return table;
}

}  // namespace likvard::gl
