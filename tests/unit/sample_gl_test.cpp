// The sample year as the region's finance system exports it (likvard sample --format sie):
// the books balance and read back without a problem, the same spec gives the same bytes,
// and the choice system's accounts hold exactly the money of the sample's events.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <string>

#include "events/events.hpp"
#include "sample/general_ledger.hpp"
#include "sample/sample.hpp"
#include "sie/sie.hpp"

namespace likvard {
namespace {

const SampleSpec spec{"SE-Z", 2022, 1};

const sie::SieDocument& document() {
    static const sie::SieDocument d = sample_general_ledger(spec);
    return d;
}

// What the events say each account of the sample's chart must hold over the year: the
// row that carries each event, reversals netted, summed per account.
std::map<std::string, std::int64_t> expected_by_account() {
    const std::map<std::string, std::string> payment{{"primary_care/capitation", "4511"},
                                                     {"primary_care/variable", "4512"},
                                                     {"primary_care/supplementary", "4513"},
                                                     {"primary_care/target", "4514"},
                                                     {"primary_care/sparsity", "4515"},
                                                     {"primary_care/deficit_compensation", "4517"},
                                                     {"dental_child_youth/capitation", "4551"},
                                                     {"dental_child_youth/supplementary", "4553"},
                                                     {"foot_care/visit", "4566"},
                                                     {"physiotherapy/visit", "4576"}};
    std::map<std::string, std::pair<std::string, std::int64_t>> carried;  // event id -> (account, öre)
    std::map<std::string, std::int64_t> total;
    for (const auto& line : generate_sample(spec)) {
        const Event e = *decode_stored(line);
        std::pair<std::string, std::int64_t> row;
        if (const auto* p = std::get_if<PaymentMade>(&e.data))
            row = {payment.at(e.scheme + "/" + p->component), p->amount.ore()};
        if (const auto* o = std::get_if<OverheadCompensated>(&e.data))
            row = {o->category == "vat_compensation" ? "4521" : "4522", o->amount.ore()};
        if (const auto* c = std::get_if<CommitmentCostIncurred>(&e.data)) row = {"5012", c->amount.ore()};
        if (const auto* a = std::get_if<AppropriationGranted>(&e.data)) row = {"4591", a->amount.ore()};
        if (const auto* s = std::get_if<ServicePurchased>(&e.data)) row = {"3541", -s->amount.ore()};
        if (const auto* s = std::get_if<SharedCostIncurred>(&e.data)) {
            const std::map<std::string, std::string> services{
                {"e_frikort", "6391"}, {"waiting_room_tv", "6392"}, {"acute_module", "6393"}};
            row = {services.at(s->service), s->amount.ore()};
        }
        if (const auto* r = std::get_if<EntryReversed>(&e.data)) {
            row = carried.at(r->reverses);
            row.second = -row.second;
        }
        if (row.first.empty()) continue;
        carried[e.event_id] = row;
        total[row.first] += row.second;
    }
    return total;
}

TEST(SampleGeneralLedger, TheBooksBalanceAndReadBackWithoutAProblem) {
    const std::string bytes = sie::write_sie4(document());
    const sie::ReadResult read = sie::read_sie(bytes);
    EXPECT_TRUE(read.ok()) << (read.problems.empty() ? "" : read.problems.front().message);
    EXPECT_EQ(read.checksum, sie::Checksum::verified);
    EXPECT_TRUE(sie::unbalanced_verifications(read.document).empty());
    EXPECT_EQ(read.document.verifications.size(), document().verifications.size());
    EXPECT_EQ(bytes, sie::write_sie4(sample_general_ledger(spec))) << "the same spec must give the same bytes";
}

TEST(SampleGeneralLedger, TheChoiceSystemsAccountsHoldTheEventsMoney) {
    const auto booked = sie::booked_sum_by_account(document());
    for (const auto& [account, ore] : expected_by_account()) {
        ASSERT_TRUE(booked.contains(account)) << account;
        EXPECT_EQ(booked.at(account).ore(), ore) << "account " << account;
    }
}

TEST(SampleGeneralLedger, OrdinaryBookingsLieOutsideTheChoiceSystem) {
    const auto booked = sie::booked_sum_by_account(document());
    ASSERT_TRUE(booked.contains("5010") && booked.contains("6110"));
    EXPECT_GT(booked.at("5010").ore(), 0);
    EXPECT_GT(booked.at("6110").ore(), 0);
}

TEST(SampleGeneralLedger, EveryObjectOfARowIsDeclaredAndEveryPartyHasOne) {
    for (const auto& v : document().verifications)
        for (const auto& row : v.rows)
            for (const auto& object : row.objects)
                EXPECT_TRUE(document().objects.contains(object))
                    << v.series << " " << v.number << ": {" << object.dimension << " " << object.object << "}";
    std::set<std::string> parties;
    for (const auto& o : sample_party_objects(spec)) {
        EXPECT_TRUE(document().objects.contains({o.dimension, o.id})) << o.id;
        parties.insert(o.party_id);
    }
    // Every party the sample registers: 35 of primary care, dental care's purchaser, public
    // dental service and 35 clinics, 24 foot care providers and 23 physiotherapists.
    EXPECT_EQ(parties.size(), 35u + 2 + 35 + 24 + 23);
}

TEST(SampleGeneralLedger, EveryRegionsYearIsBookedOnTheSamplesChart) {
    for (const std::string region : {"SE-AC", "SE-E"}) {
        const sie::SieDocument d = sample_general_ledger({region, 2022, 1});
        EXPECT_TRUE(sie::unbalanced_verifications(d).empty()) << region;
        const auto booked = sie::booked_sum_by_account(d);
        EXPECT_TRUE(booked.contains("4511")) << region;
        EXPECT_TRUE(booked.contains(region == "SE-AC" ? "4551" : "4571")) << region;
    }
}

TEST(SampleGeneralLedger, TheDuplicatePaymentIsCorrectedInSeriesK) {
    std::size_t corrections = 0;
    for (const auto& v : document().verifications) {
        if (v.series != "K") continue;
        ++corrections;
        EXPECT_EQ(v.date.month, 6);
        ASSERT_FALSE(v.rows.empty());
        EXPECT_LT(v.rows.front().amount.ore(), 0) << "a correction credits the compensation account";
    }
    EXPECT_EQ(corrections, 1u);
}

// The party maps in ledger/sample/gl/ are what the generator books (LIKVARD_UPDATE_GOLDEN=1
// rewrites them after a change to the sample's parties).
TEST(SampleGeneralLedger, ThePartyMapsInTheRepositoryAreWhatTheGeneratorBooks) {
    for (const std::string region : {"SE-Z", "SE-AC", "SE-E"}) {
        const std::filesystem::path path =
            std::filesystem::path(LIKVARD_SOURCE_DIR) / "ledger/sample/gl" / (region + "-parties.csv");
        const std::string expected = sample_party_map({region, 2022, 1});
        if (std::getenv("LIKVARD_UPDATE_GOLDEN") != nullptr) std::ofstream(path, std::ios::binary) << expected;
        std::ifstream in(path, std::ios::binary);
        ASSERT_TRUE(in) << path;
        const std::string stored((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        EXPECT_EQ(stored, expected) << path << " is not what the sample books; LIKVARD_UPDATE_GOLDEN=1 rewrites it";
    }
}

}  // namespace
}  // namespace likvard
