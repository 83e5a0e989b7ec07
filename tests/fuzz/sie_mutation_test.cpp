// Seeded mutations of the SIE test files (tests/data/sie) through the SIE path: nothing may
// crash, hang or trip the sanitizers, and what reads cleanly must survive the writer's
// round trip. The libFuzzer target explores further (ops/fuzz --target sie).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "sie_target.hpp"
#include "test_seed.hpp"

namespace fs = std::filesystem;

namespace {

std::vector<std::string> seed_files() {
    std::vector<std::string> files;
    for (const auto& entry : fs::directory_iterator(fs::path(LIKVARD_TEST_DATA) / "sie")) {
        if (entry.path().extension() != ".se" && entry.path().extension() != ".si") continue;
        std::ifstream in(entry.path(), std::ios::binary);
        std::stringstream bytes;
        bytes << in.rdbuf();
        files.push_back(bytes.str());
    }
    std::sort(files.begin(), files.end());
    return files;
}

// One line of the file dropped, repeated or moved, or a few bytes changed.
std::string mutate(std::string text, std::mt19937& random) {
    const int edits = 1 + random() % 6;
    constexpr std::string_view alphabet = "{}\"\\# \t\r\n.-0123456789#TRANS#VER#KSUMMA\x84\x94\xC3\xA4\x1A";
    for (int i = 0; i < edits && !text.empty(); ++i) {
        const std::size_t at = random() % text.size();
        const std::size_t line_end = std::min(text.find('\n', at), text.size());
        switch (random() % 6) {
            case 0: text[at] = static_cast<char>(random() % 256); break;
            case 1: text.erase(at, 1 + random() % 8); break;
            case 2: text.insert(random() % text.size(), text.substr(at, line_end - at + 1)); break;
            case 3: text.erase(at, line_end - at); break;
            case 4: text.insert(at, 1, alphabet[random() % alphabet.size()]); break;
            default: text.insert(at, text.substr(random() % text.size(), 1 + random() % 24)); break;
        }
    }
    return text;
}

}  // namespace

TEST(SiePath, SurvivesSeededMutationsOfEveryTestFile) {
    const std::uint64_t seed = likvard::test::test_seed(1414);
    SCOPED_TRACE(likvard::test::replay_hint(seed));
    std::mt19937 random(static_cast<std::uint32_t>(seed));
    const auto files = seed_files();
    ASSERT_GE(files.size(), 4u);
    constexpr int mutations = 1'500;
    for (int i = 0; i < mutations; ++i) {
        const std::string& base = files[random() % files.size()];
        const std::string input = i < static_cast<int>(files.size()) ? files[i] : mutate(base, random);
        likvard::fuzz::sie_bytes(reinterpret_cast<const std::uint8_t*>(input.data()), input.size());
    }
    SUCCEED() << "seed " << seed;
}
