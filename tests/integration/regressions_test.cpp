// Regressions as data: each tests/data/regressions/<what-it-caught>.ndjson is appended, in a
// fresh database, through the one append path; the rejections must be exactly the lines of
// its .expected (line, event_id, reason, message), each kept byte for byte, and every other
// line appended.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <tuple>

#include "database.hpp"

using namespace likvard;
using namespace likvard::test;
namespace fs = std::filesystem;

namespace {

const fs::path regressions = fs::path(LIKVARD_TEST_DATA) / "regressions";

using Rejected = std::set<std::tuple<std::int64_t, std::string, std::string, std::string>>;

std::vector<fs::path> regression_files() {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(regressions))
        if (entry.path().extension() == ".ndjson") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    return files;
}

std::vector<std::string> lines_of(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

// "<line> <event_id> <reason_code> <message>" per line, as tests/data/check/README.md says.
Rejected read_expected(const fs::path& file) {
    Rejected expected;
    for (const std::string& line : lines_of(file)) {
        std::istringstream fields(line);
        std::int64_t number = 0;
        std::string id, reason, message;
        if (!(fields >> number >> id >> reason)) throw std::runtime_error(file.string() + ": not a rejection: " + line);
        std::getline(fields >> std::ws, message);
        expected.emplace(number, id, reason, message);
    }
    return expected;
}

class Regression : public DatabaseTest, public ::testing::WithParamInterface<fs::path> {};

}  // namespace

TEST_P(Regression, RejectsExactlyTheExpectedLinesAndKeepsThemByteForByte) {
    const fs::path file = GetParam();
    const std::vector<std::string> lines = lines_of(file);
    std::vector<Incoming> batch;
    for (std::size_t i = 0; i < lines.size(); ++i)
        batch.push_back(
            {lines[i], Source{Source::Kind::file, file.filename().string(), static_cast<std::int64_t>(i + 1)}});
    const AppendResult result = Store(url).append(batch);

    fs::path expected_file = file;
    const Rejected expected = read_expected(expected_file.replace_extension(".expected"));
    ASSERT_FALSE(expected.empty()) << expected_file << " names no rejected line";
    Rejected rejected;
    for (const auto& row : query("SELECT source_line, coalesce(event_id, '-'), reason, message, raw "
                                 "FROM ledger.rejections ORDER BY id")) {
        const auto line = row[0].as<std::int64_t>();
        rejected.emplace(line, row[1].as<std::string>(), row[2].as<std::string>(), row[3].as<std::string>());
        ASSERT_TRUE(line >= 1 && line <= static_cast<std::int64_t>(lines.size())) << line;
        EXPECT_EQ(pqxx::binarystring(row[4]).str(), lines[static_cast<std::size_t>(line - 1)]) << "line " << line;
    }
    EXPECT_EQ(rejected, expected) << file;
    EXPECT_EQ(result.rejected, expected.size());
    EXPECT_EQ(result.appended, lines.size() - expected.size());
    EXPECT_EQ(count("SELECT count(*) FROM ledger.events"), static_cast<std::int64_t>(result.appended));
}

INSTANTIATE_TEST_SUITE_P(Data, Regression, ::testing::ValuesIn(regression_files()),
                         [](const ::testing::TestParamInfo<fs::path>& info) { return info.param.stem().string(); });

TEST(Regressions, EveryExpectedFileHasItsInputAndTheFolderIsNotEmpty) {
    EXPECT_FALSE(regression_files().empty());
    for (const auto& entry : fs::directory_iterator(regressions)) {
        const fs::path path = entry.path();
        if (path.filename() == "README.md") continue;
        EXPECT_TRUE(path.extension() == ".ndjson" || path.extension() == ".expected") << path;
        fs::path partner = path;
        partner.replace_extension(path.extension() == ".ndjson" ? ".expected" : ".ndjson");
        EXPECT_TRUE(fs::exists(partner)) << path << " without " << partner.filename();
    }
}
