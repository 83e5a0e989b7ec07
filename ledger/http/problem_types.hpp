// Every problem type the HTTP API answers, in one table, as the rejection reasons are:
// a problem's type is urn:likvard:problem:<slug>, and its title and status come from here
// alone. A slug that is not in the table does not compile (ProblemSlug is consteval).
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace likvard::http {

struct ProblemType {
    std::string_view slug;
    std::string_view title;
    unsigned status = 500;
};

inline constexpr std::array problem_types{
    ProblemType{"invalid-parameter", "Invalid parameter", 400},
    ProblemType{"empty-body", "Empty body", 400},
    ProblemType{"invalid-header", "Invalid header", 400},
    ProblemType{"invalid-host", "Invalid Host", 400},
    ProblemType{"invalid-path", "Invalid path", 400},
    ProblemType{"invalid-target", "Invalid request target", 400},
    ProblemType{"malformed-request", "Malformed request", 400},
    ProblemType{"unauthorized", "Unauthorized", 401},
    ProblemType{"forbidden", "Forbidden", 403},
    ProblemType{"forbidden-origin", "Forbidden", 403},
    ProblemType{"not-found", "Not found", 404},
    ProblemType{"method-not-allowed", "Method not allowed", 405},
    ProblemType{"body-too-large", "Content too large", 413},
    ProblemType{"unsupported-media-type", "Unsupported media type", 415},
    ProblemType{"header-too-large", "Request header fields too large", 431},
    ProblemType{"header-fields-too-many", "Request header fields too large", 431},
    ProblemType{"internal", "Internal server error", 500},
    ProblemType{"amount-out-of-range", "Amount out of range", 500},
    ProblemType{"database-busy", "Service unavailable", 503},
    ProblemType{"database-unavailable", "Service unavailable", 503},
    ProblemType{"not-ready", "Not ready", 503},
    ProblemType{"pdf-unavailable", "PDF unavailable", 503},
    ProblemType{"projections-unavailable", "Service unavailable", 503},
    ProblemType{"too-many-connections", "Service unavailable", 503},
};

constexpr std::optional<std::size_t> problem_type_index(std::string_view slug) {
    for (std::size_t i = 0; i < problem_types.size(); ++i)
        if (problem_types[i].slug == slug) return i;
    return std::nullopt;
}

constexpr bool problem_slugs_unique() {
    for (std::size_t i = 0; i < problem_types.size(); ++i)
        if (problem_type_index(problem_types[i].slug) != i) return false;
    return true;
}
static_assert(problem_slugs_unique(), "a problem slug is in the table twice");

namespace detail {
void unknown_problem_slug();  // never defined: calling it in a constant expression fails to compile
}

// A slug of the table, checked when the program is compiled.
struct ProblemSlug {
    consteval ProblemSlug(const char* slug) : index(find(slug)) {}  // NOLINT: implicit from a literal
    const ProblemType& type() const { return problem_types[index]; }
    std::size_t index = 0;

private:
    static consteval std::size_t find(std::string_view slug) {
        const auto found = problem_type_index(slug);
        if (!found) detail::unknown_problem_slug();
        return *found;
    }
};

}  // namespace likvard::http
