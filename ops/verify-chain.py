#!/usr/bin/env python3
"""Independent verifier for the Likvärd ledger: the hash chain and what is stored beside it.

Lets an auditor check the ledger without relying on the C++ code (Python standard
library + the psql client only). Per region: seq runs 1, 2, 3, ... without gaps;
prev_hash of seq 1 is 32 zero bytes and of seq n is the hash of seq n-1; hash =
SHA-256(prev_hash || canonical); canonical is the compact, key-sorted UTF-8 JSON form of
itself; the columns of ledger.events say what the canonical event says; the event's
postings carry its event_id, scheme and period, are numbered 1..n, have the account
<party>:<account_class>:<item> and sum to zero; ledger.periods holds exactly one row per
period.closed event (its scheme and period, closed_by_seq = its seq).

    verify-chain.py [--url URL] [--region R]   # reads the database via psql
    verify-chain.py --tsv FILE [--region R]    # reads an export ('-' = stdin)
    verify-chain.py --print-query [--region R] # the COPY statement that makes the export

TSV rows (one per region and seq, as the COPY statement writes them): region, seq,
hex(prev_hash), hex(hash), base64(canonical), then as JSON the event's other columns, its
postings and the (scheme, period) of the ledger.periods rows that name this seq.
Exit 0 = all regions verify, 1 = some region failed, 2 = usage/psql error.
"""
import argparse, base64, hashlib, json, os, re, subprocess, sys

REGION_RE = re.compile(r"[A-Z]{2}-[A-Z0-9]{1,3}")
EVENT_COLUMNS = ("region", "event_id", "type", "scheme", "period", "occurred_on",
                 "decision_ref", "source_system", "source_reference", "reverses")
# A seq that has only postings or only ledger.periods rows still gets its row (FULL JOIN).
QUERY = """COPY (
SELECT region, seq, encode(e.prev_hash, 'hex'), encode(e.hash, 'hex'),
       translate(encode(e.canonical, 'base64'), E'\\n', ''),
       json_build_object({event_columns}), p.postings, c.closes
FROM (SELECT * FROM ledger.events{where}) e
FULL JOIN (SELECT region, seq, json_agg(json_build_array(line, event_id, scheme, period, account,
                  party, account_class, item, amount) ORDER BY line) AS postings
           FROM ledger.postings{where} GROUP BY region, seq) p USING (region, seq)
FULL JOIN (SELECT region, closed_by_seq AS seq,
                  json_agg(json_build_array(scheme, period) ORDER BY scheme, period) AS closes
           FROM ledger.periods{where} GROUP BY region, closed_by_seq) c USING (region, seq)
ORDER BY region COLLATE "C", seq) TO STDOUT"""


def query(region):
    columns = ", ".join(f"'{name}', e.{name}" for name in EVENT_COLUMNS)
    where = f" WHERE region = '{region}'" if region else ""
    return QUERY.format(event_columns=columns, where=where)


def from_copy_json(field):
    """A JSON column as COPY writes it: NULL as \\N, every backslash doubled."""
    return None if field == r"\N" else json.loads(field.replace("\\\\", "\\"))


def is_canonical(data):
    try:
        value = json.loads(data.decode("utf-8"), parse_constant=lambda c: 1 / 0)
    except (ValueError, ZeroDivisionError):
        return False
    return data == json.dumps(value, sort_keys=True, separators=(",", ":"),
                              ensure_ascii=False).encode("utf-8")


def lower(text):
    return text.lower() if isinstance(text, str) else text  # uuid columns are lower case


def canonical_columns(canonical):
    """The columns of ledger.events as the canonical event says them."""
    event = json.loads(canonical)
    event = event if isinstance(event, dict) else {}
    source, data = event.get("source") or {}, event.get("data") or {}
    said = {name: event.get(name) for name in EVENT_COLUMNS}
    said.update(event_id=lower(event.get("event_id")), source_system=source.get("system"),
                source_reference=source.get("reference"),
                reverses=lower(data.get("reverses")) if event.get("type") == "entry.reversed" else None)
    return said


def show(value):
    return "NULL" if value is None else str(value)


def differs(table, column, stored, said, where=""):
    if stored == said:
        return None
    return f"{table}.{column}{where} is {show(stored)}, the canonical event says {show(said)}"


def check_postings(said, postings):
    for number, posting in enumerate(postings, 1):
        line, event_id, scheme, period, account, party, account_class, item, _ = posting
        if line != number:
            return f"postings.line is {line}, expected {number} (lines run 1..n)"
        where = f" (line {line})"
        for column, stored in (("event_id", event_id), ("scheme", scheme), ("period", period)):
            problem = differs("postings", column, stored, said[column], where)
            if problem:
                return problem
        if account != f"{party}:{account_class}:{item}":
            return (f"postings.account{where} is {account}, its party, account_class and item "
                    f"say {party}:{account_class}:{item}")
    if sum(posting[8] for posting in postings) != 0:
        return "postings do not sum to zero"
    return None


def check_closes(region, said, closes):
    """ledger.periods rows naming this seq against the close the event is (if it is one)."""
    close = [said["scheme"], said["period"]] if said["type"] == "period.closed" else None
    for scheme, period in closes:
        if [scheme, period] != close:
            return f"periods: {region} {scheme} {period} has no period.closed event"
    if close and not closes:
        return f"periods: {region} {close[0]} {close[1]} is missing (closed by this event)"
    return None


def check_row(state, region, seq, prev_hash, hash_, canonical, stored, postings, closes):
    """Return the failure reason for one row, or None (state = (next seq, last hash))."""
    if prev_hash is None:  # postings or closes of a seq that has no event
        if postings:
            return "postings without an event"
        scheme, period = closes[0]
        return f"periods: {region} {scheme} {period} has no period.closed event"
    if seq != state[0]:
        return f"seq gap (expected {state[0]})"
    if prev_hash != state[1]:
        return "prev_hash does not match the previous hash"
    if hash_ != hashlib.sha256(prev_hash + canonical).digest():
        return "hash does not match SHA-256(prev_hash || canonical)"
    if not is_canonical(canonical):
        return "canonical bytes are not in canonical form"
    said = canonical_columns(canonical)
    for column in EVENT_COLUMNS:
        problem = differs("events", column, stored[column], said[column])
        if problem:
            return problem
    return check_postings(said, postings) or check_closes(region, said, closes)


def parse(line):
    region, seq, prev_hex, hash_hex, canon_b64, stored, postings, closes = line.rstrip("\n").split("\t")
    event = None
    if prev_hex != r"\N":
        event = (bytes.fromhex(prev_hex), bytes.fromhex(hash_hex),
                 base64.b64decode(canon_b64, validate=True), from_copy_json(stored))
    return region, int(seq), event, from_copy_json(postings) or [], from_copy_json(closes) or []


def read_lines(p, args):
    """The rows to check and the psql process that writes them (None for --tsv)."""
    if args.tsv == "-":
        return sys.stdin, None
    if args.tsv:
        try:
            return open(args.tsv, encoding="utf-8"), None
        except OSError as e:
            p.error(f"cannot open {args.tsv}: {e.strerror}")
    if not args.url:
        p.error("no database: give --url, set LIKVARD_DATABASE_URL, or use --tsv")
    cmd = ["psql", args.url, "-X", "-q", "-A", "-t", "-F", "\t",
           "-v", "ON_ERROR_STOP=1", "-c", query(args.region)]
    try:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, encoding="utf-8")
    except OSError as e:
        print(f"verify-chain: cannot run psql: {e}", file=sys.stderr)
        sys.exit(2)
    return proc.stdout, proc


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--url", default=os.environ.get("LIKVARD_DATABASE_URL"),
                   help="PostgreSQL URL (default: $LIKVARD_DATABASE_URL)")
    p.add_argument("--region", help="verify only this region, e.g. SE-AC")
    p.add_argument("--tsv", metavar="FILE", help="read exported rows from FILE ('-' = stdin)")
    p.add_argument("--print-query", action="store_true", help="print the COPY statement of the export")
    args = p.parse_args()
    if args.region is not None and not REGION_RE.fullmatch(args.region):
        p.error(f"invalid region {args.region!r} (expected e.g. SE-AC)")
    if args.print_query:
        print(query(args.region))
        return
    lines, proc = read_lines(p, args)

    states, results = {}, {}  # region -> (next seq, last hash); region -> final line
    for lineno, line in enumerate(lines, 1):
        try:
            region, seq, event, postings, closes = parse(line)
        except ValueError:
            print(f"verify-chain: malformed input line {lineno}", file=sys.stderr)
            sys.exit(2)
        if args.region and region != args.region:
            continue
        state = states.setdefault(region, (1, bytes(32)))
        if state is None:  # region already failed; skip the rest of it
            continue
        prev_hash, hash_, canonical, stored = event or (None, None, None, None)
        reason = check_row(state, region, seq, prev_hash, hash_, canonical, stored, postings, closes)
        if reason:
            states[region] = None
            results[region] = f"region {region}: FAILED at seq {seq}: {reason}"
        else:
            states[region] = (seq + 1, hash_)
            results[region] = f"region {region}: ok, head seq {seq} hash {hash_.hex()}"

    if proc is not None and proc.wait() != 0:
        print(f"verify-chain: psql failed (exit {proc.returncode})", file=sys.stderr)
        sys.exit(2)
    if not results:
        print("no events")
    for region in sorted(results):
        print(results[region])
    sys.exit(1 if None in states.values() else 0)


if __name__ == "__main__":
    main()
