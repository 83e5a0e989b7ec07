// The documentation against the code, so that they cannot drift apart: docs/contract.md
// against the reason table and schemas/events/, docs/reference/cli.md against each
// command's --help, and every Markdown file's links and pointers against the repository.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "events/events.hpp"
#include "run.hpp"

namespace fs = std::filesystem;
using likvard::test::read_file;
using likvard::test::run;

namespace {

const fs::path source_dir = LIKVARD_SOURCE_DIR;

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

std::string strip(std::string text) {
    const auto first = text.find_first_not_of(" \t");
    const auto last = text.find_last_not_of(" \t");
    return first == std::string::npos ? std::string() : text.substr(first, last - first + 1);
}

std::string unquote_code(std::string text) {
    text = strip(text);
    if (text.size() >= 2 && text.front() == '`' && text.back() == '`') return text.substr(1, text.size() - 2);
    return text;
}

// The cells of a Markdown table row "| a | b \| c |" (an escaped pipe stays in its cell).
std::vector<std::string> cells_of(const std::string& row) {
    std::vector<std::string> cells;
    std::string cell;
    const std::string body = strip(row);
    for (std::size_t i = 1; i < body.size(); ++i) {
        if (body[i] == '\\' && i + 1 < body.size() && body[i + 1] == '|') {
            cell += '|';
            ++i;
        } else if (body[i] == '|') {
            cells.push_back(strip(cell));
            cell.clear();
        } else {
            cell += body[i];
        }
    }
    return cells;
}

bool is_table_row(const std::string& line) { return strip(line).rfind('|', 0) == 0; }

// Heading level (1 for "# ") and text, or 0 when the line is no heading.
std::pair<int, std::string> heading_of(const std::string& line) {
    int level = 0;
    while (level < static_cast<int>(line.size()) && line[level] == '#') ++level;
    if (level == 0 || level > 6 || level >= static_cast<int>(line.size()) || line[level] != ' ') return {0, ""};
    return {level, strip(line.substr(level + 1))};
}

// The lines of a document outside fenced code blocks, with their heading levels known.
struct Document {
    std::string path;  // relative to the repository, for messages
    std::vector<std::string> lines;
    std::vector<bool> in_code;  // per line: inside a ``` block (or its fence)
};

Document load(const fs::path& file) {
    Document doc{fs::relative(file, source_dir).string(), lines_of(read_file(file.string())), {}};
    bool code = false;
    for (const auto& line : doc.lines) {
        const bool fence = strip(line).rfind("```", 0) == 0;
        doc.in_code.push_back(code || fence);
        if (fence) code = !code;
    }
    return doc;
}

// The lines of the section whose heading text is `title`, up to the next heading of the
// same or a higher level; empty (and `found` false) when there is no such heading.
std::vector<std::string> section(const Document& doc, const std::string& title, bool& found) {
    std::vector<std::string> out;
    found = false;
    int level = 0;
    for (std::size_t i = 0; i < doc.lines.size(); ++i) {
        const auto [h, text] = doc.in_code[i] ? std::pair<int, std::string>{0, ""} : heading_of(doc.lines[i]);
        if (found && h > 0 && h <= level) break;
        if (found) out.push_back(doc.lines[i]);
        if (!found && h > 0 && text == title) found = true, level = h;
    }
    return out;
}

// The first column of every table in `lines` whose header's first cell is `header`.
std::vector<std::string> first_column(const std::vector<std::string>& lines, const std::string& header) {
    std::vector<std::string> out;
    bool in_table = false;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (!is_table_row(lines[i])) {
            in_table = false;
            continue;
        }
        const auto cells = cells_of(lines[i]);
        if (!in_table) {
            in_table = !cells.empty() && cells[0] == header;
            ++i;  // the |---| line
            continue;
        }
        if (!cells.empty()) out.push_back(unquote_code(cells[0]));
    }
    return out;
}

std::string joined(const std::set<std::string>& items) {
    std::string out;
    for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
    return out.empty() ? "(none)" : out;
}

const Document& contract() {
    static const Document doc = load(source_dir / "docs/contract.md");
    return doc;
}

}  // namespace

// ---- docs/contract.md: the reason codes ----

TEST(Docs, ContractReasonTableIsTheCodesTable) {
    const Document& doc = contract();
    const std::vector<std::string> header{"#", "reason", "meaning", "in detail"};
    std::vector<std::vector<std::string>> rows;
    for (std::size_t i = 0; i < doc.lines.size(); ++i) {
        if (!is_table_row(doc.lines[i]) || cells_of(doc.lines[i]) != header) continue;
        for (i += 2; i < doc.lines.size() && is_table_row(doc.lines[i]); ++i) rows.push_back(cells_of(doc.lines[i]));
        break;
    }
    ASSERT_FALSE(rows.empty()) << doc.path << " has no table '| # | reason | meaning | in detail |'";
    const auto& reasons = likvard::all_reasons();
    std::string differences;
    for (std::size_t i = 0; i < std::max(rows.size(), reasons.size()); ++i) {
        const std::string where = doc.path + ", reason table row " + std::to_string(i + 1) + ": ";
        if (i >= rows.size()) {
            differences += where + "missing; the code has " + std::string(likvard::reason_code(reasons[i])) + "\n";
            continue;
        }
        if (i >= reasons.size()) {
            differences += where + rows[i].at(1) + " is not a reason code of ledger/events/reasons.cpp\n";
            continue;
        }
        const std::string code(likvard::reason_code(reasons[i]));
        const std::string description(likvard::reason_description(reasons[i]));
        const auto& row = rows[i];
        if (row.size() < 3) {
            differences += where + "has fewer than three cells\n";
            continue;
        }
        if (row[0] != std::to_string(i + 1)) differences += where + "is numbered " + row[0] + "\n";
        if (unquote_code(row[1]) != code)
            differences += where + "says " + row[1] + " where the code's table has `" + code + "`\n";
        if (row[2] != description)
            differences += where + "means \"" + row[2] + "\" where the code says \"" + description + "\"\n";
    }
    EXPECT_TRUE(differences.empty()) << "docs/contract.md and ledger/events/reasons.cpp differ (order, codes, "
                                        "meanings):\n"
                                     << differences;
}

// ---- docs/contract.md: the fields of every schema ----

namespace {

// The fields a schema gives `data` (or the envelope): its properties, and "p.q" for the
// properties of an object property p or of the objects in an array property p.
std::set<std::string> schema_fields(const boost::json::object& schema) {
    std::set<std::string> fields;
    const auto* properties = schema.if_contains("properties");
    if (properties == nullptr) return fields;
    for (const auto& [name, property] : properties->as_object()) {
        fields.insert(std::string(name));
        const boost::json::object& p = property.as_object();
        const boost::json::value* nested = p.if_contains("properties");
        if (const auto* items = p.if_contains("items"); nested == nullptr && items != nullptr && items->is_object())
            nested = items->as_object().if_contains("properties");
        if (nested == nullptr) continue;
        for (const auto& sub : nested->as_object()) fields.insert(std::string(name) + "." + std::string(sub.key()));
    }
    return fields;
}

std::string compare_fields(const std::string& title, const std::set<std::string>& documented,
                           const std::set<std::string>& schema, const std::string& schema_path) {
    std::set<std::string> missing, extra;
    std::set_difference(schema.begin(), schema.end(), documented.begin(), documented.end(),
                        std::inserter(missing, missing.end()));
    std::set_difference(documented.begin(), documented.end(), schema.begin(), schema.end(),
                        std::inserter(extra, extra.end()));
    if (missing.empty() && extra.empty()) return "";
    return "docs/contract.md, section \"" + title + "\": misses " + joined(missing) + "; lists " + joined(extra) +
           ", which " + schema_path + " does not have\n";
}

}  // namespace

TEST(Docs, ContractSectionsListExactlyTheSchemasFields) {
    const Document& doc = contract();
    std::string differences;
    std::set<std::string> types;
    for (const auto& entry : fs::directory_iterator(source_dir / "schemas/events")) {
        const std::string file = entry.path().filename().string();
        const std::string suffix = ".schema.json";
        if (file.size() <= suffix.size() || file.substr(file.size() - suffix.size()) != suffix) continue;
        const std::string name = file.substr(0, file.size() - suffix.size());
        const std::string title = name == "envelope" ? "Envelope" : "`" + name + "`";
        if (name != "envelope") types.insert(title);
        bool found = false;
        const auto lines = section(doc, title, found);
        if (!found) {
            differences += "docs/contract.md has no section \"" + title + "\" for schemas/events/" + file + "\n";
            continue;
        }
        const auto documented = first_column(lines, "field");
        const auto schema = boost::json::parse(read_file(entry.path().string())).as_object();
        differences += compare_fields(title, {documented.begin(), documented.end()}, schema_fields(schema),
                                      "schemas/events/" + file);
    }
    bool found = false;
    for (const auto& line : section(doc, "Event types", found)) {
        const auto [level, text] = heading_of(line);
        if (level == 3 && !types.contains(text))
            differences += "docs/contract.md has a section " + text + " without a schema in schemas/events/\n";
    }
    EXPECT_TRUE(found) << "docs/contract.md has no section \"Event types\"";
    EXPECT_EQ(types.size(), likvard::event_type_count) << "schemas/events/ should hold one schema per event type";
    EXPECT_TRUE(differences.empty()) << differences;
}

TEST(Docs, ContractExamplesAreTheTestData) {
    bool found = false;
    const auto lines = section(contract(), "The message", found);
    ASSERT_TRUE(found) << "docs/contract.md has no section \"The message\"";
    std::vector<std::string> messages{""};
    bool code = false;
    for (const auto& line : lines) {
        if (strip(line).rfind("```", 0) == 0) {
            code = !code;
            continue;
        }
        if (!code) continue;
        if (strip(line).empty())
            messages.emplace_back();
        else
            messages.back() += strip(line);  // the examples are wrapped at member boundaries
    }
    std::erase(messages, std::string());
    const auto data = lines_of(read_file((source_dir / "tests/data/check/events-md-examples.ndjson").string()));
    ASSERT_EQ(messages.size(), 2u) << "docs/contract.md should show two complete messages";
    ASSERT_GE(data.size(), 2u);
    EXPECT_EQ(messages[0], data[data.size() - 2]) << "the first example differs from events-md-examples.ndjson";
    EXPECT_EQ(messages[1], data[data.size() - 1]) << "the second example differs from events-md-examples.ndjson";
}

// ---- docs/reference/cli.md against --help ----

namespace {

// The usage block of a help text: from the line starting "Usage:" to the first blank line.
std::string usage_block(const std::string& help) {
    std::string out;
    bool in = false;
    for (const auto& line : lines_of(help)) {
        if (line.rfind("Usage:", 0) == 0) in = true;
        if (in && strip(line).empty()) break;
        if (in) out += line + "\n";
    }
    return out;
}

std::set<std::string> options_named(const std::string& help) {
    std::set<std::string> options;
    const std::regex option("--[a-z][a-z-]*[a-z]");
    for (std::sregex_iterator it(help.begin(), help.end(), option), end; it != end; ++it) options.insert(it->str());
    options.erase("--help");
    return options;
}

std::string check_command(const Document& doc, const std::string& program, const std::string& command) {
    const std::string title = "`" + (command.empty() ? program : program + " " + command) + "`";
    const std::string binary = program == "likvard" ? LIKVARD_BIN : LIKVARD_INGEST_BIN;
    const auto help = run(binary + " " + command + " --help");
    if (help.exit_code != 0) return title + ": --help exits " + std::to_string(help.exit_code) + "\n";
    bool found = false;
    std::string text;
    for (const auto& line : section(doc, title, found)) text += line + "\n";
    if (!found) return "docs/reference/cli.md has no section \"" + title + "\"\n";
    std::string problems;
    const std::string usage = usage_block(help.out);
    if (usage.empty() || text.find(usage) == std::string::npos)
        problems += "docs/reference/cli.md, " + title + ": lacks the usage as --help prints it:\n" + usage;
    const std::string first_line = help.out.substr(0, help.out.find('\n'));
    if (text.find(first_line) == std::string::npos)
        problems += "docs/reference/cli.md, " + title + ": lacks --help's first line: " + first_line + "\n";
    for (const auto& option : options_named(help.out))
        if (!std::regex_search(text, std::regex(option + "(?![a-z-])")))
            problems += "docs/reference/cli.md, " + title + ": does not describe " + option + "\n";
    return problems;
}

// The commands `likvard --help` lists: the first word of each line indented by two spaces.
std::set<std::string> listed_commands() {
    std::set<std::string> commands;
    bool in = false;
    for (const auto& line : lines_of(run(std::string(LIKVARD_BIN) + " --help").out)) {
        if (line == "Commands:")
            in = true;
        else if (in && line.rfind("  ", 0) == 0 && line.size() > 2 && line[2] != ' ')
            commands.insert(line.substr(2, line.find(' ', 2) - 2));
        else if (in && !line.empty() && line[0] != ' ')
            in = false;
    }
    return commands;
}

}  // namespace

TEST(Docs, CliReferenceHasEveryUsageAndOption) {
    const Document doc = load(source_dir / "docs/reference/cli.md");
    std::vector<std::string> commands{
        "check",       "migrate",   "append",  "import csv",     "import sie", "verify",    "rejections replay",
        "sample",      "statement", "explain", "export hledger", "export sie", "sie check", "reconcile sie",
        "projections", "serve"};
    // Reached through `statement`, with usages of their own.
    commands.insert(commands.end(), {"statement summary", "statement comparison"});
    std::string problems;
    std::set<std::string> documented;
    for (const auto& command : commands) {
        problems += check_command(doc, "likvard", command);
        documented.insert(command.substr(0, command.find(' ')));
    }
    problems += check_command(doc, "likvard-ingest", "");
    EXPECT_EQ(listed_commands(), documented) << "likvard --help lists other commands than this test checks";
    EXPECT_TRUE(problems.empty()) << problems;
}

// ---- every Markdown file: nothing points outside the repository ----

namespace {

std::vector<fs::path> markdown_and_sources() {
    const std::set<std::string> skipped{".git", ".local", "build", "node_modules", "out"};
    std::vector<fs::path> files;
    const auto options = fs::directory_options::skip_permission_denied;
    for (auto it = fs::recursive_directory_iterator(source_dir, options); it != fs::recursive_directory_iterator();
         ++it) {
        const std::string name = it->path().filename().string();
        if (it->is_directory() && skipped.contains(name)) {
            it.disable_recursion_pending();
            continue;
        }
        if (it->is_regular_file()) files.push_back(it->path());
    }
    std::sort(files.begin(), files.end());
    return files;
}

bool is_text_source(const fs::path& file) {
    static const std::set<std::string> extensions{".md", ".cpp", ".hpp",   ".h",   ".json", ".sql",  ".yaml", ".yml",
                                                  ".py", ".sh",  ".cmake", ".txt", ".js",   ".html", ".css",  ""};
    return extensions.contains(file.extension().string()) && fs::file_size(file) < 2 * 1024 * 1024;
}

// The design notes that a clone of the repository does not have (spelt in pieces, so that
// this file does not name them itself).
std::vector<std::string> outside_names() {
    const std::string md = ".md";
    return {
        "shared"
        "/design",
        "EVENTS" + md,
        "STATEMENTS" + md,
        "DOMAIN" + md,
        "ARCHITECTURE" + md,
        "STYLE" + md};
}

// Where `text` names the folder beside the checkout other than for its data: the SIE tests
// and `ops/fuzz --target sie` read real finance systems' files from its data folder when it
// is there (and skip them when not), which is no pointer for a reader to follow.
std::size_t outside_folder_mentions(const std::string& text) {
    const std::string folder =
        ".."
        "/shared";
    std::size_t mentions = 0;
    for (auto at = text.find(folder); at != std::string::npos; at = text.find(folder, at + 1))
        if (text.compare(at + folder.size(), 6, "/data/") != 0) ++mentions;
    return mentions;
}

// GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens.
std::string anchor_of(const std::string& heading) {
    std::string out;
    for (unsigned char c : heading) {
        if (c >= 0x80 || std::isalnum(c) || c == '-' || c == '_')
            out += static_cast<char>(std::tolower(c));
        else if (c == ' ')
            out += '-';
    }
    return out;
}

std::set<std::string> anchors_of(const Document& doc) {
    std::set<std::string> anchors;
    std::map<std::string, int> seen;
    for (std::size_t i = 0; i < doc.lines.size(); ++i) {
        const auto [level, text] = doc.in_code[i] ? std::pair<int, std::string>{0, ""} : heading_of(doc.lines[i]);
        if (level == 0) continue;
        const std::string anchor = anchor_of(text);
        const int n = seen[anchor]++;
        anchors.insert(n == 0 ? anchor : anchor + "-" + std::to_string(n));
    }
    return anchors;
}

std::set<std::string> headings_of(const Document& doc) {
    std::set<std::string> headings;
    for (std::size_t i = 0; i < doc.lines.size(); ++i) {
        const auto [level, text] = doc.in_code[i] ? std::pair<int, std::string>{0, ""} : heading_of(doc.lines[i]);
        if (level > 0) headings.insert(text);
    }
    return headings;
}

// A link target or a mentioned path, relative to the document's folder or to the
// repository; empty when it exists.
fs::path resolve(const Document& doc, const std::string& target) {
    const fs::path here = (source_dir / doc.path).parent_path();
    if (fs::exists(here / target)) return here / target;
    if (fs::exists(source_dir / target)) return source_dir / target;
    return {};
}

std::string check_link(const Document& doc, std::size_t line, const std::string& target) {
    const std::string where = doc.path + ":" + std::to_string(line + 1) + ": ";
    if (std::regex_search(target, std::regex("^[a-z]+:"))) return "";  // a web address
    const std::string file = target.substr(0, target.find('#'));
    const std::string anchor = target.find('#') == std::string::npos ? "" : target.substr(target.find('#') + 1);
    const fs::path path = file.empty() ? source_dir / doc.path : resolve(doc, file);
    if (path.empty()) return where + "links to " + file + ", which does not exist\n";
    if (anchor.empty() || path.extension() != ".md") return "";
    if (!anchors_of(load(path)).contains(anchor))
        return where + "links to #" + anchor + ", which is no heading of " + file + "\n";
    return "";
}

// `docs/x.md, "Heading"` names a section: the file must have a heading of that text.
std::string check_section_pointer(const Document& doc, std::size_t line, const std::string& file,
                                  const std::string& heading) {
    const fs::path path = resolve(doc, file);
    const std::string where = doc.path + ":" + std::to_string(line + 1) + ": ";
    if (path.empty()) return where + "points to " + file + ", which does not exist\n";
    std::set<std::string> plain;
    for (const auto& h : headings_of(load(path))) plain.insert(std::regex_replace(h, std::regex("`"), ""));
    if (!plain.contains(heading))
        return where + "points to the section \"" + heading + "\" of " + file + ", which has no such heading\n";
    return "";
}

std::string check_markdown(const Document& doc) {
    static const std::regex link(R"(\]\(([^)\s]+)\))");
    static const std::regex pointer(R"(([A-Za-z0-9_./-]+\.md),? \"([^"]+)\")");
    static const std::regex path(R"((^|[\s`(])((docs|ledger|consumers|tests|ops|schemas|cmake)/[A-Za-z0-9_./-]*))");
    std::string problems;
    for (std::size_t i = 0; i < doc.lines.size(); ++i) {
        if (doc.in_code[i]) continue;
        const std::string& text = doc.lines[i];
        for (std::sregex_iterator it(text.begin(), text.end(), link), end; it != end; ++it)
            problems += check_link(doc, i, (*it)[1]);
        for (std::sregex_iterator it(text.begin(), text.end(), pointer), end; it != end; ++it)
            problems += check_section_pointer(doc, i, (*it)[1], (*it)[2]);
        for (std::sregex_iterator it(text.begin(), text.end(), path), end; it != end; ++it) {
            std::string mentioned = (*it)[2];
            while (!mentioned.empty() && mentioned.back() == '.') mentioned.pop_back();  // a sentence's full stop
            const std::size_t after = it->position(2) + mentioned.size();
            if (after < text.size() && (text[after] == '<' || text[after] == '*' || text[after] == '{')) continue;
            if (resolve(doc, mentioned).empty())
                problems +=
                    doc.path + ":" + std::to_string(i + 1) + ": names " + mentioned + ", which does not exist\n";
        }
    }
    return problems;
}

}  // namespace

TEST(Docs, NothingPointsOutsideTheRepository) {
    std::string problems;
    for (const auto& file : markdown_and_sources()) {
        if (!is_text_source(file)) continue;
        const std::string text = read_file(file.string());
        const std::string relative = fs::relative(file, source_dir).string();
        for (const auto& name : outside_names())
            if (text.find(name) != std::string::npos)
                problems += relative + ": names " + name + ", which is not in the repository\n";
        if (outside_folder_mentions(text) > 0)
            problems += relative + ": names the folder beside the checkout, which is not in the repository\n";
    }
    EXPECT_TRUE(problems.empty()) << "say it in the repository's own documents (docs/) instead:\n" << problems;
}

TEST(Docs, EveryLinkAndPathInTheDocumentsExists) {
    std::string problems;
    std::size_t documents = 0;
    for (const auto& file : markdown_and_sources()) {
        if (file.extension() != ".md") continue;
        problems += check_markdown(load(file));
        ++documents;
    }
    EXPECT_GE(documents, 10u) << "the documents were not found under " << source_dir;
    EXPECT_TRUE(problems.empty()) << problems;
}

// ---- the code's comments, messages and --help: pointers into the documents ----

namespace {

// In a source file (not Markdown): `docs/x.md, "Heading"` (also inside a C++ string, with
// escaped quotes) must name a heading of that document; and a pointer to a section of the
// top README (no folder before it) names what the short README does not have any more:
// such a pointer belongs into docs/.
std::string check_source_pointers(const fs::path& file) {
    static const std::regex pointer(R"re(([A-Za-z0-9_./-]+\.md),? \\?"([^"\\]+)\\?")re");
    static const std::regex bare(R"re((^|[^A-Za-z0-9_./-])README,? \(?\\?")re");
    const std::string relative = fs::relative(file, source_dir).string();
    const auto lines = lines_of(read_file(file.string()));
    const Document as_document{relative, {}, {}};
    std::string problems;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const std::string& text = lines[i];
        for (std::sregex_iterator it(text.begin(), text.end(), pointer), end; it != end; ++it)
            problems += check_section_pointer(as_document, i, (*it)[1], (*it)[2]);
        if (std::regex_search(text, bare))
            problems +=
                relative + ":" + std::to_string(i + 1) + ": points to a section of README; name the docs/ file\n";
    }
    return problems;
}

}  // namespace

TEST(Docs, EveryPointerInTheCodeNamesASectionThatExists) {
    std::string problems;
    std::size_t sources = 0;
    for (const auto& file : markdown_and_sources()) {
        if (!is_text_source(file) || file.extension() == ".md") continue;
        const std::string relative = fs::relative(file, source_dir).string();
        if (relative.rfind("schemas/sql/", 0) == 0) continue;  // applied migrations are never edited (checksums)
        if (relative == "tests/e2e/docs_test.cpp") continue;   // this file: the patterns and messages themselves
        problems += check_source_pointers(file);
        ++sources;
    }
    EXPECT_GE(sources, 50u) << "the sources were not found under " << source_dir;
    EXPECT_TRUE(problems.empty()) << problems;
}
