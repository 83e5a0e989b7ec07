// The `likvard` subcommands. Each takes its arguments after the subcommand name and
// returns the process exit code: 0 ok, 1 the work failed (e.g. an event was rejected), 2 usage.
#pragma once

#include <string>
#include <vector>

namespace likvard::cli {

inline constexpr int exit_ok = 0;
inline constexpr int exit_failure = 1;
inline constexpr int exit_usage = 2;

using Args = std::vector<std::string>;

int check(const Args& args);
int migrate(const Args& args);
int append(const Args& args);
int verify(const Args& args);
int sample(const Args& args);
int statement(const Args& args);
int statement_overview(const Args& args);  // `statement summary|comparison`, reached through `statement`
int explain(const Args& args);             // the postings behind one figure of a statement
int export_journal(const Args& args);
int projections(const Args& args);
int serve(const Args& args);
int rejections(const Args& args);
int sie(const Args& args);
int export_sie(const Args& args);  // `export sie`, reached through `export`
int reconcile(const Args& args);
int import(const Args& args);      // `import sie|csv`
int import_sie(const Args& args);  // `import sie`, reached through `import`
int import_csv(const Args& args);  // `import csv`, reached through `import`

}  // namespace likvard::cli
