#!/usr/bin/env python3
"""Independent verifier for the Likvärd ledger hash chain.

Lets an auditor recompute the hash chain of ledger.events without relying on
the C++ code (Python standard library + the psql client only). Per region:
seq runs 1, 2, 3, ... without gaps; prev_hash of seq 1 is 32 zero bytes and
of seq n is the hash of seq n-1; hash = SHA-256(prev_hash || canonical); and
canonical is the compact, key-sorted UTF-8 JSON form of itself.

    verify-chain.py [--url URL] [--region R]   # reads the database via psql
    verify-chain.py --tsv FILE [--region R]    # reads an export ('-' = stdin)

TSV rows: region, seq, hex(prev_hash), hex(hash), base64(canonical).
Exit 0 = all regions verify, 1 = some region failed, 2 = usage/psql error.
"""
import argparse, base64, hashlib, json, os, re, subprocess, sys

REGION_RE = re.compile(r"[A-Z]{2}-[A-Z0-9]{1,3}")
QUERY = ("COPY (SELECT region, seq, encode(prev_hash,'hex'), encode(hash,'hex'), "
         "translate(encode(canonical,'base64'), E'\\n', '') FROM ledger.events{where} "
         "ORDER BY region COLLATE \"C\", seq) TO STDOUT")


def is_canonical(data):
    try:
        value = json.loads(data.decode("utf-8"), parse_constant=lambda c: 1 / 0)
    except (ValueError, ZeroDivisionError):
        return False
    return data == json.dumps(value, sort_keys=True, separators=(",", ":"),
                              ensure_ascii=False).encode("utf-8")


def check_row(state, seq, prev_hash, hash_, canonical):
    """Return the failure reason for one row, or None (state = (next seq, last hash))."""
    if seq != state[0]:
        return f"seq gap (expected {state[0]})"
    if prev_hash != state[1]:
        return "prev_hash does not match the previous hash"
    if hash_ != hashlib.sha256(prev_hash + canonical).digest():
        return "hash does not match SHA-256(prev_hash || canonical)"
    if not is_canonical(canonical):
        return "canonical bytes are not in canonical form"
    return None


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--url", default=os.environ.get("LIKVARD_DATABASE_URL"),
                   help="PostgreSQL URL (default: $LIKVARD_DATABASE_URL)")
    p.add_argument("--region", help="verify only this region, e.g. SE-AC")
    p.add_argument("--tsv", metavar="FILE", help="read exported rows from FILE ('-' = stdin)")
    args = p.parse_args()
    if args.region is not None and not REGION_RE.fullmatch(args.region):
        p.error(f"invalid region {args.region!r} (expected e.g. SE-AC)")

    proc = None
    if args.tsv == "-":
        lines = sys.stdin
    elif args.tsv:
        try:
            lines = open(args.tsv, encoding="utf-8")
        except OSError as e:
            p.error(f"cannot open {args.tsv}: {e.strerror}")
    elif not args.url:
        p.error("no database: give --url, set LIKVARD_DATABASE_URL, or use --tsv")
    else:
        where = f" WHERE region = '{args.region}'" if args.region else ""
        cmd = ["psql", args.url, "-X", "-q", "-A", "-t", "-F", "\t",
               "-v", "ON_ERROR_STOP=1", "-c", QUERY.format(where=where)]
        try:
            proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, encoding="utf-8")
        except OSError as e:
            print(f"verify-chain: cannot run psql: {e}", file=sys.stderr)
            sys.exit(2)
        lines = proc.stdout

    states, results = {}, {}  # region -> (next seq, last hash); region -> final line
    for lineno, line in enumerate(lines, 1):
        try:
            region, seq, prev_hex, hash_hex, canon_b64 = line.rstrip("\n").split("\t")
            seq, prev_hash, hash_ = int(seq), bytes.fromhex(prev_hex), bytes.fromhex(hash_hex)
            canonical = base64.b64decode(canon_b64, validate=True)
        except ValueError:
            print(f"verify-chain: malformed input line {lineno}", file=sys.stderr)
            sys.exit(2)
        if args.region and region != args.region:
            continue
        state = states.setdefault(region, (1, bytes(32)))
        if state is None:  # region already failed; skip the rest of it
            continue
        reason = check_row(state, seq, prev_hash, hash_, canonical)
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
