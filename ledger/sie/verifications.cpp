// #VER and its rows: #TRANS, #RTRANS (a row added afterwards, followed by the same row as
// #TRANS for older readers: one row, read once) and #BTRANS (a row removed afterwards,
// not part of the booking). A verification's booked rows must sum to zero.
#include "sie/detail/reader.hpp"

namespace likvard::sie::detail {

std::optional<Money> checked_sum(const Verification& verification) {
    std::int64_t sum = 0;
    for (const TransRow& row : verification.rows)
        if (row.booked() && __builtin_add_overflow(sum, row.amount.ore(), &sum)) return std::nullopt;
    return Money::from_ore(sum);
}

namespace {

std::string name_of(const Verification& verification) {
    std::string name = "verification ";
    if (!verification.series.empty()) name += verification.series + " ";
    return name +
           (verification.number.empty() ? "without a number of " + verification.date.iso() : verification.number);
}

// The #TRANS that repeats an #RTRANS for older readers: the same account, objects and
// amount (programs write the verification's date and no signature on it).
bool same_booking(const TransRow& added, const TransRow& next) {
    return next.kind == RowKind::trans && next.account == added.account && next.objects == added.objects &&
           next.amount == added.amount;
}

}  // namespace

void Reader::ver(const Line& line) {
    verification_.emplace();
    verification_->line = line_;
    block_ = Block::expected;
    skip_block_ = false;
    rows_cut_ = false;
    added_row_pending_ = false;
    if (++verifications_seen_ > options_.limits.verifications) {
        if (verifications_seen_ == options_.limits.verifications + 1)
            problem(line, "the file has more than " + std::to_string(options_.limits.verifications) +
                              " verifications; the rest are not read");
        skip_block_ = true;
        return;
    }
    Verification& v = *verification_;
    v.series = optional_text(line, 0);
    v.number = optional_text(line, 1);
    const auto date = parse_date(optional_text(line, 2));
    if (!date) {
        problem(line, "date " + date.error + "; the verification is not read, nor its rows");
        skip_block_ = true;
        return;
    }
    v.date = *date;
    v.text = optional_text(line, 3);
    take_optional(line, 4, "registration date", parse_date, v.registered_on);
    v.sign = optional_text(line, 5);
    if (document().sie_type() < 4)
        problem(line, "verifications belong in SIE type 4 files, and this one is type " +
                          std::to_string(document().sie_type()));
}

void Reader::row(const Line& line) {
    if (skip_block_) return;
    Verification& v = *verification_;
    if (v.rows.size() == options_.limits.rows_per_verification) {
        if (!rows_cut_)
            problem(line, "the verification has more than " + std::to_string(options_.limits.rows_per_verification) +
                              " rows; the rest are not read");
        rows_cut_ = true;
        v.incomplete = true;
        return;
    }
    std::optional<TransRow> next = parse_row(line);
    if (!next) {
        v.incomplete = true;
        added_row_pending_ = false;
        return;
    }
    if (added_row_pending_ && same_booking(v.rows.back(), *next)) {
        v.rows.back().companion_line = line_;
        added_row_pending_ = false;
        return;
    }
    settle_added_row(&*next);
    v.rows.push_back(std::move(*next));
    added_row_pending_ = v.rows.back().kind == RowKind::added;
}

// An #RTRANS whose #TRANS did not follow: it still counts, once, as an added row.
void Reader::settle_added_row(const TransRow* next) {
    if (!added_row_pending_) return;
    added_row_pending_ = false;
    const std::size_t at = next != nullptr ? next->line : line_;
    problem("#RTRANS",
            "is not followed by the same row as #TRANS (line " + std::to_string(at) +
                "), which the specification asks for older readers; read as an added row",
            verification_->rows.back().line);
}

// #TRANS, #RTRANS, #BTRANS: account {objects} amount [transdat] [transtext] [quantity] [sign]
std::optional<TransRow> Reader::parse_row(const Line& line) {
    TransRow row;
    row.kind = line.label == "#TRANS" ? RowKind::trans : line.label == "#RTRANS" ? RowKind::added : RowKind::removed;
    row.line = line_;
    const auto account = take(line, 0, "account", parse_account);
    std::size_t shift = 0;
    auto objects_read = objects(line, 1, shift);
    const auto amount = take(line, 2 - shift, "amount", Money::parse);
    // A bad date or quantity is a problem, but the row still books.
    take_optional(line, 3 - shift, "date", parse_date, row.date);
    row.text = optional_text(line, 4 - shift);
    take_optional(line, 5 - shift, "quantity", parse_quantity, row.quantity);
    row.sign = optional_text(line, 6 - shift);
    if (!account || !objects_read || !amount) return std::nullopt;
    row.account = *account;
    row.objects = std::move(*objects_read);
    row.amount = *amount;
    return row;
}

void Reader::close_block() {
    settle_added_row(nullptr);
    block_ = Block::none;
    std::optional<Verification> done = std::move(verification_);
    verification_.reset();
    if (skip_block_ || !done) return;
    check_balance(*done);
    check_unique(*done);
    document().verifications.push_back(std::move(*done));
}

void Reader::check_balance(const Verification& verification) {
    if (verification.incomplete) return;
    const auto sum = checked_sum(verification);
    if (!sum)
        problem("#VER", name_of(verification) + ": its amounts add up past what 64 bits of öre hold",
                verification.line);
    else if (sum->ore() != 0)
        problem("#VER", name_of(verification) + " does not balance: its rows sum to " + sum->to_string() + ", not 0.00",
                verification.line);
}

// Series and number identify a verification; some programs repeat a number (BL
// Administration numbers every verification of its series # 1), which is told as a note.
void Reader::check_unique(const Verification& verification) {
    if (verification.number.empty()) return;  // 4I files may leave numbering to the importer
    auto& [first_line, count] = verification_numbers_[{verification.series, verification.number}];
    if (count++ == 0) first_line = verification.line;
}

void Reader::note_repeated_numbers() {
    for (const auto& [key, seen] : verification_numbers_) {
        if (seen.second < 2) continue;
        note("#VER",
             "verification " + (key.first.empty() ? "" : key.first + " ") + key.second + " appears " +
                 std::to_string(seen.second) + " times: series and number do not tell its verifications apart",
             seen.first);
    }
}

}  // namespace likvard::sie::detail

namespace likvard::sie {

Money Verification::booked_sum() const {
    Money sum;
    for (const TransRow& row : rows)
        if (row.booked()) sum += row.amount;
    return sum;
}

std::map<std::string, Money> booked_sum_by_account(const SieDocument& document) {
    std::map<std::string, Money> sums;
    for (const Verification& verification : document.verifications)
        for (const TransRow& row : verification.rows)
            if (row.booked()) sums[row.account] += row.amount;
    return sums;
}

std::vector<const Verification*> unbalanced_verifications(const SieDocument& document) {
    std::vector<const Verification*> unbalanced;
    for (const Verification& verification : document.verifications) {
        if (verification.incomplete) continue;
        const auto sum = detail::checked_sum(verification);
        if (!sum || sum->ore() != 0) unbalanced.push_back(&verification);
    }
    return unbalanced;
}

}  // namespace likvard::sie
