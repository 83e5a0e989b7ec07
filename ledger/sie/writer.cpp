// The SIE 4E writer: one record per line in CP437, the checksum summed as the records are
// written (label and field contents, in CP437, without separators, quotes or braces).
#include <stdexcept>
#include <variant>

#include "sie/detail/fields.hpp"
#include "sie/detail/text.hpp"
#include "sie/sie.hpp"

namespace likvard::sie {
namespace {

constexpr std::string_view line_end = "\r\n";

struct Bare {
    std::string text;  // ASCII: a number, a date, an amount
};
struct Text {
    std::string text;  // UTF-8, written quoted
};
using Piece = std::variant<Bare, Text, std::vector<ObjectRef>>;

// Inside quotes: \" for a quote; \\ for a backslash that a reader would otherwise take
// as the start of \" or \\ (before a quote or a backslash, or at the end).
std::string escaped(std::string_view cp437) {
    std::string out;
    for (std::size_t i = 0; i < cp437.size(); ++i) {
        const char c = cp437[i];
        const char next = i + 1 < cp437.size() ? cp437[i + 1] : '"';
        if (c == '"')
            out += "\\\"";
        else if (c == '\\' && (next == '"' || next == '\\'))
            out += "\\\\";
        else
            out.push_back(c);
    }
    return out;
}

class Writer {
public:
    static constexpr std::size_t all = ~std::size_t{0};

    // Optional fields past the first `required` are left out when they are empty and last.
    void record(std::string_view label, std::vector<Piece> pieces, std::size_t required = all) {
        while (pieces.size() > required && is_empty_text(pieces.back())) pieces.pop_back();
        std::string content(label);
        out_ += label;
        for (const Piece& piece : pieces) {
            out_ += ' ';
            write(piece, content);
        }
        out_ += line_end;
        if (summing_) crc_ = crc32(content, crc_);
    }

    void brace(char c) {
        out_ += c;
        out_ += line_end;
    }

    void start_checksum() {
        record("#KSUMMA", {});
        summing_ = true;
    }

    std::string finish() {
        summing_ = false;
        record("#KSUMMA", {Bare{std::to_string(crc_)}});
        return std::move(out_);
    }

private:
    static bool is_empty_text(const Piece& piece) {
        const auto* text = std::get_if<Text>(&piece);
        return text != nullptr && text->text.empty();
    }

    void write(const Piece& piece, std::string& content) {
        if (const auto* bare = std::get_if<Bare>(&piece)) {
            out_ += bare->text;
            content += bare->text;
        } else if (const auto* text = std::get_if<Text>(&piece)) {
            const std::string cp437 = detail::to_cp437(text->text, true);
            out_ += '"' + escaped(cp437) + '"';
            content += cp437;
        } else {
            write_objects(std::get<std::vector<ObjectRef>>(piece), content);
        }
    }

    void write_objects(const std::vector<ObjectRef>& objects, std::string& content) {
        out_ += '{';
        for (std::size_t i = 0; i < objects.size(); ++i) {
            const std::string dimension = std::to_string(objects[i].dimension);
            const std::string object = detail::to_cp437(objects[i].object, true);
            out_ += (i == 0 ? "" : " ") + dimension + " \"" + escaped(object) + '"';
            content += dimension + object;
        }
        out_ += '}';
    }

    std::string out_;
    std::uint32_t crc_ = 0;
    bool summing_ = false;
};

// Numbers, accounts and quantities bare when they are what they should be; otherwise
// quoted, so that a reader says what is wrong with them instead of misreading the line.
Piece number_piece(const std::string& text) {
    if (!text.empty() && text.find_first_not_of("0123456789") == std::string::npos) return Bare{text};
    return Text{text};
}

Piece quantity_piece(const std::optional<std::string>& quantity) {
    if (!quantity) return Text{};
    if (detail::parse_quantity(*quantity)) return Bare{*quantity};
    return Text{*quantity};
}

Piece date_piece(const std::optional<Date>& date) { return date ? Piece{Bare{date->sie()}} : Piece{Text{}}; }

void write_identification(Writer& w, const SieDocument& d) {
    w.record("#PROGRAM", {Text{d.program}, Text{d.program_version}}, 1);
    w.record("#FORMAT", {Bare{"PC8"}});
    w.record("#GEN", {Bare{d.generated_on->sie()}, Text{d.generated_by}}, 1);
    w.record("#SIETYP", {Bare{"4"}});
    for (const std::string& text : d.prosa) w.record("#PROSA", {Text{text}});
    if (!d.ftyp.empty()) w.record("#FTYP", {Text{d.ftyp}});
    if (!d.fnr.empty()) w.record("#FNR", {Text{d.fnr}});
    if (!d.orgnr.empty()) w.record("#ORGNR", {Text{d.orgnr}});
    if (!d.bkod.empty()) w.record("#BKOD", {Text{d.bkod}});
    if (d.address)
        w.record("#ADRESS",
                 {Text{d.address->contact}, Text{d.address->street}, Text{d.address->postal}, Text{d.address->phone}},
                 0);
    w.record("#FNAMN", {Text{d.fnamn}});
    for (const FiscalYear& year : d.rar)
        w.record("#RAR", {Bare{std::to_string(year.index)}, Bare{year.start.sie()}, Bare{year.end.sie()}});
    if (d.taxar) w.record("#TAXAR", {Bare{std::to_string(*d.taxar)}});
    if (d.omfattn) w.record("#OMFATTN", {Bare{d.omfattn->sie()}});
    if (!d.kptyp.empty()) w.record("#KPTYP", {Text{d.kptyp}});
    if (!d.valuta.empty()) w.record("#VALUTA", {Text{d.valuta}});
}

void write_chart(Writer& w, const SieDocument& d) {
    for (const auto& [number, account] : d.accounts) {
        w.record("#KONTO", {number_piece(number), Text{account.name}});
        if (!account.type.empty()) w.record("#KTYP", {number_piece(number), Text{account.type}});
        if (!account.unit.empty()) w.record("#ENHET", {number_piece(number), Text{account.unit}});
        for (const std::string& code : account.sru) w.record("#SRU", {number_piece(number), Text{code}});
    }
    for (const auto& [number, dimension] : d.dimensions) {
        if (dimension.parent)
            w.record("#UNDERDIM",
                     {Bare{std::to_string(number)}, Text{dimension.name}, Bare{std::to_string(*dimension.parent)}});
        else
            w.record("#DIM", {Bare{std::to_string(number)}, Text{dimension.name}});
    }
    for (const auto& [key, object] : d.objects)
        w.record("#OBJEKT", {Bare{std::to_string(key.dimension)}, Text{key.object}, Text{object.name}});
}

void write_balances(Writer& w, std::string_view label, const std::vector<Balance>& balances, bool objects) {
    for (const Balance& b : balances) {
        std::vector<Piece> pieces{Bare{std::to_string(b.year)}, number_piece(b.account)};
        if (objects) pieces.emplace_back(b.objects);
        pieces.emplace_back(Bare{b.amount.to_string()});
        pieces.push_back(quantity_piece(b.quantity));
        const std::size_t required = pieces.size() - 1;
        w.record(label, std::move(pieces), required);
    }
}

void write_period_balances(Writer& w, std::string_view label, const std::vector<PeriodBalance>& balances) {
    for (const PeriodBalance& b : balances)
        w.record(label,
                 {Bare{std::to_string(b.year)}, Bare{b.period.sie()}, number_piece(b.account), b.objects,
                  Bare{b.amount.to_string()}, quantity_piece(b.quantity)},
                 5);
}

void write_row(Writer& w, std::string_view label, const TransRow& row) {
    w.record(label,
             {number_piece(row.account), row.objects, Bare{row.amount.to_string()}, date_piece(row.date),
              Text{row.text}, quantity_piece(row.quantity), Text{row.sign}},
             3);
}

void write_verification(Writer& w, const Verification& v) {
    w.record("#VER",
             {Text{v.series}, number_piece(v.number), Bare{v.date.sie()}, Text{v.text}, date_piece(v.registered_on),
              Text{v.sign}},
             3);
    w.brace('{');
    for (const TransRow& row : v.rows) {
        if (row.kind == RowKind::trans) write_row(w, "#TRANS", row);
        if (row.kind == RowKind::removed) write_row(w, "#BTRANS", row);
        if (row.kind == RowKind::added) {
            write_row(w, "#RTRANS", row);
            write_row(w, "#TRANS", row);  // the same row again, for readers that do not know #RTRANS
        }
    }
    w.brace('}');
}

}  // namespace

std::string write_sie4(const SieDocument& document) {
    if (!document.generated_on) throw std::invalid_argument("write_sie4: the document has no #GEN date");
    Writer w;
    w.record("#FLAGGA", {Bare{"0"}});
    w.start_checksum();
    write_identification(w, document);
    write_chart(w, document);
    write_balances(w, "#IB", document.ib, false);
    write_balances(w, "#UB", document.ub, false);
    write_balances(w, "#OIB", document.oib, true);
    write_balances(w, "#OUB", document.oub, true);
    write_balances(w, "#RES", document.res, false);
    write_period_balances(w, "#PSALDO", document.psaldo);
    write_period_balances(w, "#PBUDGET", document.pbudget);
    for (const Verification& verification : document.verifications) write_verification(w, verification);
    return w.finish();
}

}  // namespace likvard::sie
