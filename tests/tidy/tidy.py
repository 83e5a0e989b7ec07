#!/usr/bin/env python3
"""The style, checked: functions of at most 70 lines and lines of at most 120 columns (each
with an allow-list of today's exceptions that may only shrink), no std::random_device in
tests (seeds must replay), no hand-written Content-Length, and the layout of .clang-format
for the files listed as following it (a list that may only grow). Standard library only.

Usage: tests/tidy/tidy.py [--repo DIR] [--print-long]
  --print-long  print the functions and files over the limits as allow-list lines, exit 0
Exit codes: 0 tidy, 1 something is not, 2 usage error."""
import argparse
import pathlib
import re
import shutil
import subprocess
import sys

FUNCTION_LINES_MAX = 70
LINE_COLUMNS_MAX = 120
SOURCE_DIRS = ("ledger", "consumers", "tests")
SUFFIXES = (".cpp", ".hpp", ".h", ".cc")
ALLOW_LIST = pathlib.Path("tests/tidy/long_functions.txt")
LONG_LINES = pathlib.Path("tests/tidy/long_lines.txt")
FORMATTED = pathlib.Path("tests/tidy/formatted.txt")

# A definition's head: a name with its parameter list, not a control statement.
CONTROL = re.compile(r"^\s*(if|for|while|switch|catch|do|else|return|case)\b")
OPENS_TYPE = re.compile(r"^\s*(template\s*<.*>\s*)?(struct|class|union|enum|namespace|extern)\b")
NAME = re.compile(r"([A-Za-z_~][A-Za-z0-9_:~<>]*(?:operator\S*)?)\s*\(")


def sources(repo):
    for top in SOURCE_DIRS:
        for path in sorted((repo / top).rglob("*")):
            if path.suffix in SUFFIXES and "node_modules" not in path.parts:
                yield path


def strip_literals(line):
    """The line without string/char literals and // comments (braces inside them do not count)."""
    line = re.sub(r'R"([^(]*)\((.*?)\)\1"', '""', line)
    line = re.sub(r'"(\\.|[^"\\])*"', '""', line)
    line = re.sub(r"'(\\.|[^'\\])*'", "''", line)
    return line.split("//", 1)[0]


def functions(lines):
    """(name, first line, line count) of each function body that opens at namespace level
    or inside a class: a '{' that ends a head with a parameter list."""
    found = []
    depth = 0
    scopes = []  # for each open brace: 'type' (namespace/class body) or 'code'
    head = []
    current = None  # (name, start line, depth at which it opened)
    for number, raw in enumerate(lines, 1):
        line = strip_literals(raw)
        stripped = line.strip()
        if current is None and stripped and not stripped.startswith(("#", "/*", "*")):
            head.append(stripped)
            head = head[-6:]
        for char in line:
            if char == "{":
                in_type = not scopes or scopes[-1] == "type"
                text = " ".join(head)
                if current is None and in_type and OPENS_TYPE.match(text):
                    scopes.append("type")
                elif current is None and in_type and NAME.search(text) and not CONTROL.match(text) and "=" not in text.split("(")[0]:
                    name = NAME.search(text).group(1)
                    test = re.match(r"\s*(TEST|TEST_F|TEST_P)\s*\(\s*(\w+)\s*,\s*(\w+)", text)
                    if test:  # a test is named by its suite and name
                        name = f"{test.group(2)}.{test.group(3)}"
                    start = number - len(head) + 1
                    current = (name, max(start, 1), len(scopes))
                    scopes.append("code")
                else:
                    scopes.append("code" if current is not None or not in_type else "type")
                head = []
            elif char == "}":
                if scopes:
                    scopes.pop()
                if current is not None and len(scopes) == current[2]:
                    found.append((current[0], current[1], number - current[1] + 1))
                    current = None
                head = []
            elif char == ";" and current is None:
                head = []
    return found


def read_allow_list(repo):
    allowed = {}
    path = repo / ALLOW_LIST
    for line in path.read_text().splitlines() if path.exists() else []:
        if line.strip() and not line.startswith("#"):
            file, name, count = line.split()
            allowed[(file, name)] = int(count)
    return allowed


def check_functions(repo, problems, print_long):
    allowed = read_allow_list(repo)
    seen = set()
    for path in sources(repo):
        rel = path.relative_to(repo).as_posix()
        for name, start, count in functions(path.read_text(errors="replace").splitlines()):
            if count <= FUNCTION_LINES_MAX:
                continue
            key = (rel, name)
            if print_long:
                print(f"{rel} {name} {count}")
                continue
            seen.add(key)
            if key not in allowed:
                problems.append(f"{rel}:{start}: {name} has {count} lines, more than {FUNCTION_LINES_MAX}: split it")
            elif count > allowed[key]:
                problems.append(f"{rel}:{start}: {name} grew to {count} lines (the allow-list says {allowed[key]})")
            elif count < allowed[key]:
                problems.append(f"{ALLOW_LIST}: {rel} {name} is down to {count} lines: write {count} there")
    if print_long:
        return
    for key in sorted(set(allowed) - seen):
        problems.append(f"{ALLOW_LIST}: {key[0]} {key[1]} is no longer over {FUNCTION_LINES_MAX} lines "
                        "(or is gone): remove its line")


def read_counts(repo, path):
    counts = {}
    for line in (repo / path).read_text().splitlines() if (repo / path).exists() else []:
        if line.strip() and not line.startswith("#"):
            file, count = line.split()
            counts[file] = int(count)
    return counts


def check_lines(repo, problems, print_long):
    content_length = re.compile(r"Content-Length:\s*[0-9]|\"Content-Length\",\s*\"[0-9]")
    allowed = read_counts(repo, LONG_LINES)
    seen = {}
    for path in sources(repo):
        rel = path.relative_to(repo).as_posix()
        long_lines = []
        for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
            if len(line) > LINE_COLUMNS_MAX:
                long_lines.append(number)
            if rel.startswith("tests/") and "std::random_device" in line and "tidy" not in rel:
                problems.append(f"{rel}:{number}: std::random_device in a test: take test_seed() so a failure replays")
            if rel.startswith(("ledger/", "consumers/")) and content_length.search(line):
                problems.append(f"{rel}:{number}: a hand-written Content-Length: compute it from the body")
        if long_lines:
            seen[rel] = len(long_lines)
            if print_long:
                print(f"{rel} {len(long_lines)}")
            elif rel not in allowed:
                problems.append(f"{rel}:{long_lines[0]}: more than {LINE_COLUMNS_MAX} columns")
            elif len(long_lines) > allowed[rel]:
                problems.append(f"{rel}: {len(long_lines)} lines over {LINE_COLUMNS_MAX} columns "
                                f"({LONG_LINES} allows {allowed[rel]}), e.g. line {long_lines[-1]}")
    if print_long:
        return
    for rel, count in sorted(allowed.items()):
        if seen.get(rel, 0) < count:
            problems.append(f"{LONG_LINES}: {rel} is down to {seen.get(rel, 0)} long lines: write that there "
                            "(or remove the line at 0)")


def check_format(repo, problems):
    formatter = shutil.which("clang-format")
    if formatter is None:
        problems.append("clang-format is not installed (ops/setup installs it)")
        return
    listed = (repo / FORMATTED).read_text().splitlines() if (repo / FORMATTED).exists() else []
    paths = [str(repo / p.strip()) for p in listed if p.strip() and not p.startswith("#")]
    if not paths:
        return
    result = subprocess.run([formatter, "--dry-run", "-Werror", "--style=file", *paths], cwd=repo,
                            capture_output=True, text=True)
    if result.returncode != 0:
        files = sorted({line.split(":")[0] for line in result.stderr.splitlines() if ": error:" in line})
        problems.append("not in the layout of .clang-format (run clang-format -i on them): " + ", ".join(
            pathlib.Path(f).relative_to(repo).as_posix() if pathlib.Path(f).is_absolute() else f for f in files))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", default=pathlib.Path(__file__).resolve().parents[2], type=pathlib.Path)
    parser.add_argument("--print-long", action="store_true")
    args = parser.parse_args()
    repo = args.repo.resolve()
    problems = []
    check_functions(repo, problems, args.print_long)
    check_lines(repo, problems, args.print_long)
    if args.print_long:
        return 0
    check_format(repo, problems)
    for problem in problems:
        print(problem)
    print(f"tidy: {len(problems)} problem(s)" if problems else "tidy: ok")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
