// Seeded byte mutations of every test file's lines through the check path: nothing may
// crash, hang or trip the sanitizers. The libFuzzer target explores further (ops/fuzz).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "test_seed.hpp"

#include "check_target.hpp"

namespace fs = std::filesystem;

namespace {

std::vector<std::string> seed_lines() {
    std::vector<std::string> lines;
    for (const auto& entry : fs::recursive_directory_iterator(fs::path(LIKVARD_TEST_DATA) / "check")) {
        if (entry.path().extension() != ".ndjson") continue;
        std::ifstream in(entry.path(), std::ios::binary);
        std::string line;
        while (std::getline(in, line))
            if (line.size() < 70'000) lines.push_back(line);
    }
    return lines;
}

std::string mutate(std::string text, std::mt19937& random) {
    const int edits = 1 + random() % 8;
    for (int i = 0; i < edits && !text.empty(); ++i) {
        const std::size_t at = random() % text.size();
        switch (random() % 5) {
            case 0: text[at] = static_cast<char>(random() % 256); break;
            case 1: text.erase(at, 1 + random() % 16); break;
            case 2: text.insert(at, text.substr(random() % text.size(), 1 + random() % 32)); break;
            case 3: text.resize(at); break;
            default: text.insert(at, 1, "{}[]\",:\\0-9e."[random() % 14]); break;
        }
    }
    return text;
}

}  // namespace

TEST(CheckPath, SurvivesSeededMutationsOfEveryTestLine) {
    const std::uint64_t seed = likvard::test::test_seed(4242);
    SCOPED_TRACE(likvard::test::replay_hint(seed));
    std::mt19937 random(static_cast<std::uint32_t>(seed));
    const auto lines = seed_lines();
    ASSERT_FALSE(lines.empty());
    constexpr int mutations = 20'000;
    for (int i = 0; i < mutations; ++i) {
        const std::string input =
            i % 10 == 0 ? lines[random() % lines.size()] : mutate(lines[random() % lines.size()], random);
        likvard::fuzz::check_bytes(reinterpret_cast<const std::uint8_t*>(input.data()), input.size());
    }
    SUCCEED() << "seed " << seed;
}
