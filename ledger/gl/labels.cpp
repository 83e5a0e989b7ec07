// What a person reads in the reconciliation report, in Swedish and English: one table,
// key -> sv, en, for the titles, the column headers, the sides of the totals and the
// sentences. The JSON and the machine CSV speak in keys; English is the report as it was
// before it spoke Swedish.
#include <algorithm>
#include <array>
#include <stdexcept>

#include "gl/gl.hpp"

namespace likvard::gl {
namespace {

// Keys: a column as the JSON names it, "title.", "table.", "heading.", "side.", "sentence."
// and a name. Placeholders in braces are filled in by the renderer.
constexpr std::array labels{
    ReconciliationLabel{"title.markdown", "Avstämning mot huvudboken: {region}, {from} till {to}",
                        "Reconciliation of the general ledger with the ledger: {region}, {from} to {to}"},
    ReconciliationLabel{"title.workbook", "Avstämning {region} {from}..{to}", "Reconciliation {region} {from}..{to}"},
    ReconciliationLabel{"sentence.agrees",
                        "Allt stämmer: {keys} nycklar (vårdval, månad, part, konto), inga differenser.",
                        "Everything agrees: {keys} keys (scheme, month, party, account), nothing differs."},
    ReconciliationLabel{"sentence.differs",
                        "{differences} av {keys} nycklar (vårdval, månad, part, konto) har differenser; omatchade "
                        "rader i huvudboken: {unkeyed}.",
                        "{differences} of {keys} keys (scheme, month, party, account) differ; {unkeyed} GL rows could "
                        "not be keyed."},
    ReconciliationLabel{"sentence.period", "region {region}, {from} till {to}", "region {region}, {from} to {to}"},
    ReconciliationLabel{"sentence.agrees_short", "allt stämmer", "everything agrees"},
    ReconciliationLabel{"sentence.differs_short", "{differences} av {keys} nycklar har differenser",
                        "{differences} keys differ of {keys}"},
    ReconciliationLabel{"table.differences", "Nycklar med differenser", "Keys that differ"},
    ReconciliationLabel{"table.unkeyed", "Omatchade rader i huvudboken", "GL rows that cannot be keyed"},
    ReconciliationLabel{"heading.unkeyed", "Omatchade rader i huvudboken (ingår inte i summorna)",
                        "GL rows that cannot be keyed (left out of the sums)"},
    ReconciliationLabel{"table.totals", "Summor", "Totals"},
    ReconciliationLabel{"scheme", "Vårdval", "scheme"},
    ReconciliationLabel{"month", "Månad", "month"},
    ReconciliationLabel{"party", "Part", "party"},
    ReconciliationLabel{"account", "Konto", "account"},
    ReconciliationLabel{"account_class", "Kontoklass", "account class"},
    ReconciliationLabel{"item", "Kontopost", "item"},
    ReconciliationLabel{"account_number", "Kontonummer", "account number"},
    ReconciliationLabel{"gl", "Belopp i huvudboken", "GL"},
    ReconciliationLabel{"ledger", "Belopp i reskontran", "ledger"},
    ReconciliationLabel{"difference", "Differens", "difference"},
    ReconciliationLabel{"gl_unpaired", "Rader i huvudboken utan lika belopp i reskontran",
                        "GL rows without an equal ledger amount"},
    ReconciliationLabel{"ledger_unpaired", "Händelser i reskontran utan lika belopp i huvudboken",
                        "ledger events without an equal GL amount"},
    ReconciliationLabel{"gl_verifications", "Verifikationer i huvudboken", "GL verifications"},
    ReconciliationLabel{"ledger_events", "Händelser i reskontran", "ledger events"},
    ReconciliationLabel{"line", "Rad", "line"},
    ReconciliationLabel{"objects", "Objekt", "objects"},
    ReconciliationLabel{"amount", "Belopp", "amount"},
    ReconciliationLabel{"why", "Orsak", "why"},
    ReconciliationLabel{"side", "Sida", "side"},
    ReconciliationLabel{"rows", "Rader", "rows"},
    ReconciliationLabel{"none", "inga", "none"},
    ReconciliationLabel{"total", "Summa", "total"},
    ReconciliationLabel{"side.gl", "Huvudboken", "GL"},
    ReconciliationLabel{"side.ledger", "Reskontran (Likvärd)", "ledger"},
    ReconciliationLabel{"side.difference", "Differens", "difference"},
    ReconciliationLabel{"side.gl_ignored", "Rader i huvudboken som mappningen utelämnar",
                        "GL rows the mapping ignores"},
    ReconciliationLabel{"side.ledger_left_out", "Poster i reskontran som ingen mappningsrad motsvarar",
                        "ledger postings no mapping row stands for"},
};

}  // namespace

std::span<const ReconciliationLabel> reconciliation_labels() { return labels; }

std::string reconciliation_label(std::string_view key, Language language) {
    const auto it = std::find_if(labels.begin(), labels.end(), [&](const auto& l) { return l.key == key; });
    if (it == labels.end()) throw std::out_of_range("no reconciliation label for " + std::string(key));
    return std::string(language == Language::sv ? it->sv : it->en);
}

}  // namespace likvard::gl
