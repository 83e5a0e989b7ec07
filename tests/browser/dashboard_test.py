#!/usr/bin/env python3
"""The dashboard (GET /) in headless Debian chromium against a real `likvard serve`.

Makes a fresh database on the server of $LIKVARD_DATABASE_URL, loads the SE-Z sample year
2022 (plus one rejected line) and SE-AC's, so that regions compare, rebuilds the projections,
publishes a few events to an embedded Kafka broker (`likvard-ingest broker`) and stores an offset behind them, starts
`likvard serve --brokers` on a free loopback port, opens the page in chromium (driven over --remote-debugging-pipe with the
DevTools protocol; Python standard library only), waits for <body data-ready>, and checks
on the Swedish page (the default) that every label is the table's (GET /v1/labels) and every
figure's exact text (data-value) is the API's and reads grouped in the language (`1 300 000,00`):
the neutrality gap and its words, the provider table (and its sorting on exact decimals, with
aria-sort), budget against outcome, the plain word that the ledger has no earlier year, the
gap bridge's waterfall bars, the resources per weighted listed citizen by component
(recomputed here with integers, a second path beside app.js's BigInt arithmetic), the
comparison of regions (each region's figures the comparison's JSON text, the chart its gaps),
the cross-subsidies, the commitments against appropriations by month, the ingestion status with
the Kafka lag and the charts' data; that the PDF link answers a PDF; that clicking a figure
opens its postings, whose amounts sum to it; then switches to English and checks it all
again. Saves a full-page screenshot (Swedish). Exit 0 pass, 1 fail, 77 skipped (chromium is
not installed).
"""
import argparse
import base64
import json
import os
import re
import select
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import uuid

SKIP = 77
REGION, SCHEME, YEAR = "SE-Z", "primary_care", "2022"
SECOND_REGION = "SE-AC"  # a second region's sample year, for the comparison of regions
SERVE_START_S = 30
# Kafka: messages published to the embedded broker's one partition, and the next offset the
# ledger is made to hold there (so the lag is their difference).
KAFKA_PUBLISHED, KAFKA_STORED = 5, 2
PAGE_READY_S = 30
CDP_REPLY_S = 20

COMPONENTS = [  # (statement column, sign in net resources), in the statement's order as app.js shows them
    ("capitation", 1), ("variable", 1), ("supplementary", 1), ("other_compensation", 1),
    ("deficit_compensation", 1), ("overhead_compensation", 1), ("internal_charges", -1),
    ("shared_costs_paid", -1), ("benefit_in_kind", 1), ("commitment_costs", -1), ("appropriations", 1),
    ("services_sold", 1), ("services_bought", -1),
]
COMPONENTS_IN_STATEMENT_ORDER = COMPONENTS

failures = []


def check(condition, what):
    if not condition:
        failures.append(what)


def log(text):
    print(f"dashboard_test: {text}", file=sys.stderr, flush=True)


# ---- exact decimals, in integers (the statements' rule: half away from zero) ----
def scaled(text, scale):
    match = re.fullmatch(r"(-?)([0-9]+)(?:\.([0-9]+))?", text)
    assert match and len(match.group(3) or "") <= scale, text
    value = int(match.group(2) + (match.group(3) or "").ljust(scale, "0"))
    return -value if match.group(1) else value


def decimal_text(value, scale):
    digits = str(abs(value)).rjust(scale + 1, "0")
    return ("-" if value < 0 else "") + digits[:-scale] + "." + digits[-scale:]


def divide_rounded(numerator, denominator):
    quotient = (2 * abs(numerator) + denominator) // (2 * denominator)
    return -quotient if numerator < 0 else quotient


def per_weighted_listed(money, months, weighted):
    w = scaled(weighted, 4)
    if w <= 0:
        return None
    return decimal_text(divide_rounded(scaled(money, 2) * 12 * 10_000, months * w), 2)


# ---- the database and the server ----
def with_database(url, name):
    base, _, query = url.partition("?")
    return base[: base.rfind("/")] + "/" + name + ("?" + query if query else "")


def with_user(url, user):
    """The same server and database as another role (docs/operating.md, "Roles").

    The test server trusts 127.0.0.1."""
    scheme, _, rest = url.partition("://")
    host = rest.split("@", 1)[1] if "@" in rest.split("/", 1)[0] else rest
    return f"{scheme}://{user}@{host}"


def role_urls(owner):
    """Each program's URL for the database of `owner`, as a deployment gives them."""
    return {"owner": owner, "app": with_user(owner, "likvard_app"),
            "projector": with_user(owner, "likvard_projector")}


def psql(url, sql):
    subprocess.run(["psql", url, "-v", "ON_ERROR_STOP=1", "-q", "-c", sql], check=True, stdout=subprocess.DEVNULL,
                   env=dict(os.environ, PGOPTIONS="--client-min-messages=warning"))


def run(args, ok_codes=(0,)):
    result = subprocess.run(args, capture_output=True, text=True, timeout=120)
    if result.returncode not in ok_codes:
        raise RuntimeError(f"{' '.join(args)} exited {result.returncode}: {result.stderr[-2000:]}")
    return result


def load_ledger(likvard, urls, work):
    run([likvard, "migrate", "--database-url", urls["owner"]])
    url = urls["app"]
    sample = os.path.join(work, "sample.ndjson")
    run([likvard, "sample", "--region", REGION, "--year", YEAR, "--out", sample])
    run([likvard, "append", "--database-url", url, sample])
    second = os.path.join(work, "second.ndjson")
    run([likvard, "sample", "--region", SECOND_REGION, "--year", YEAR, "--out", second])
    run([likvard, "append", "--database-url", url, second])
    # One line the contract refuses (no data), so the page has a rejection to show.
    with open(sample, encoding="utf-8") as lines:
        event = json.loads(lines.readline())
    event["event_id"] = str(uuid.UUID(int=0x5EED, version=4))
    del event["data"]
    bad = os.path.join(work, "rejected.ndjson")
    with open(bad, "w", encoding="utf-8") as out:
        out.write(json.dumps(event) + "\n")
    run([likvard, "append", "--database-url", url, bad], ok_codes=(1,))
    run([likvard, "projections", "rebuild", "--database-url", urls["projector"]])


def start_broker(likvard_ingest, url, work):
    """The embedded broker with KAFKA_PUBLISHED messages in its one partition, and the
    ledger's stored offset KAFKA_STORED there; returns the process and its address."""
    errors = open(os.path.join(work, "broker.log"), "w+", encoding="utf-8")
    broker = subprocess.Popen([likvard_ingest, "broker", "--state-dir", work, "--partitions", "1"],
                              stdout=subprocess.DEVNULL, stderr=errors)
    address_file = os.path.join(work, "kafka.bootstrap")
    deadline = time.monotonic() + SERVE_START_S
    while not os.path.exists(address_file):
        if time.monotonic() > deadline or broker.poll() is not None:
            raise RuntimeError("likvard-ingest broker did not start")
        time.sleep(0.05)
    with open(address_file, encoding="utf-8") as text:
        address = text.read().strip()
    with open(os.path.join(work, "sample.ndjson"), encoding="utf-8") as sample:
        lines = [sample.readline() for _ in range(KAFKA_PUBLISHED)]
    some = os.path.join(work, "published.ndjson")
    with open(some, "w", encoding="utf-8") as out:
        out.writelines(lines)
    run([likvard_ingest, "publish", "--brokers", address, some])
    psql(url, "INSERT INTO ledger.consumer_offsets (consumer_group, topic, partition, offset_next) "
              f"VALUES ('likvard-ingest', 'likvard.events', 0, {KAFKA_STORED})")
    return broker, address


def start_server(likvard, urls, work, brokers):
    errors = open(os.path.join(work, "serve.log"), "w+", encoding="utf-8")
    server = subprocess.Popen([likvard, "serve", "--listen", "127.0.0.1:0", "--database-url", urls["app"],
                               "--projector-database-url", urls["projector"],
                               "--brokers", brokers, "--broker-interval-ms", "200"],
                              stdout=subprocess.DEVNULL, stderr=errors)
    deadline = time.monotonic() + SERVE_START_S
    while time.monotonic() < deadline:
        errors.seek(0)
        found = re.search(r"listening on http://127\.0\.0\.1:([0-9]+)", errors.read())
        if found:
            return server, int(found.group(1))
        if server.poll() is not None:
            break
        time.sleep(0.05)
    errors.seek(0)
    raise RuntimeError("likvard serve did not start listening:\n" + errors.read()[-3000:])


def wait_broker_up(base):
    """The watermarks are read on the server's own thread: wait for the first reading."""
    deadline = time.monotonic() + SERVE_START_S
    while time.monotonic() < deadline:
        with urllib.request.urlopen(base + "/metrics", timeout=30) as response:
            if "\nlikvard_broker_up 1\n" in response.read().decode():
                return
        time.sleep(0.1)
    raise RuntimeError("likvard serve never reported likvard_broker_up 1")


def get_json(base, path, params=None):
    url = base + path + ("?" + urllib.parse.urlencode(params) if params else "")
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.load(response)


# ---- chromium over the DevTools protocol (fd 3: commands in, fd 4: replies out) ----
class Browser:
    def __init__(self, chromium, work):
        commands_read, self.commands = os.pipe()
        self.replies, replies_write = os.pipe()

        def map_fds():
            high_in, high_out = os.dup(commands_read), os.dup(replies_write)
            os.dup2(high_in, 3)
            os.dup2(high_out, 4)

        self.log = open(os.path.join(work, "chromium.log"), "w+", encoding="utf-8", errors="replace")
        self.process = subprocess.Popen(
            [chromium, "--headless", "--no-sandbox", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--remote-debugging-pipe",
             "--user-data-dir=" + os.path.join(work, "chromium-profile"), "--no-first-run",
             "--window-size=1400,1000", "--hide-scrollbars", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=self.log, stderr=self.log, preexec_fn=map_fds, pass_fds=(3, 4))
        os.close(commands_read)
        os.close(replies_write)
        self.buffer = b""
        self.next_id = 0
        self.session = None

    def send(self, method, params=None, session=True):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            message["sessionId"] = self.session
        os.write(self.commands, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + CDP_REPLY_S
        while True:
            while b"\0" in self.buffer:
                raw, self.buffer = self.buffer.split(b"\0", 1)
                reply = json.loads(raw)
                if reply.get("id") == self.next_id:
                    if "error" in reply:
                        raise RuntimeError(f"{method}: {reply['error']}")
                    return reply["result"]
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([self.replies], [], [], remaining)[0]:
                raise RuntimeError(f"chromium did not answer {method} within {CDP_REPLY_S} s")
            chunk = os.read(self.replies, 1 << 20)
            if not chunk:
                raise RuntimeError("chromium closed the DevTools pipe")
            self.buffer += chunk

    def attach(self):
        targets = self.send("Target.getTargets", session=False)["targetInfos"]
        page = next(t for t in targets if t["type"] == "page")
        self.session = self.send("Target.attachToTarget", {"targetId": page["targetId"], "flatten": True},
                                 session=False)["sessionId"]
        self.send("Page.enable")
        self.send("Runtime.enable")

    def evaluate(self, expression):
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in result:
            raise RuntimeError(f"page script failed: {result['exceptionDetails']}")
        return result["result"].get("value")

    def close(self):
        try:
            self.send("Browser.close", session=False)
            self.process.wait(timeout=10)
        except Exception:  # noqa: BLE001 - closing anyway
            self.process.kill()
            self.process.wait()
        os.close(self.commands)
        os.close(self.replies)


SHOWN = """JSON.stringify({
  ready: document.body.dataset.ready,
  lang: document.documentElement.lang,
  status: document.getElementById('status').textContent,
  labels: Array.from(document.querySelectorAll('[data-label]')).map((e) => [e.dataset.label, e.textContent]),
  figures: Array.from(document.querySelectorAll('[data-figure]')).map((e) => Object.assign({}, e.dataset, {text: e.textContent})),
  providers: Array.from(document.querySelectorAll('#table-providers tbody tr')).map((r) => r.dataset.party),
  sorted: Array.from(document.querySelectorAll('#table-providers th')).map((th) => [th.dataset.column, th.getAttribute('aria-sort')]),
  previous: document.getElementById('previous-note').dataset.previous,
  previous_note: document.getElementById('previous-note').textContent,
  comparison_regions: document.getElementById('comparison-regions').dataset.regions,
  comparison_note: document.getElementById('comparison-regions').textContent,
  comparison_rows: Array.from(document.querySelectorAll('#table-comparison tbody tr')).map((r) => r.dataset.region),
  sums_to_gap: document.getElementById('bridge').dataset.sumsToGap,
  reports: Array.from(document.querySelectorAll('a[data-report]')).map((a) => [a.dataset.report, a.dataset.format, a.href]),
  charts: Object.fromEntries(['chart-resources', 'chart-cross', 'chart-commitments', 'chart-bridge', 'chart-budget',
                               'chart-comparison'].map((id) => {
    const chart = Chart.getChart(id);
    const canvas = document.getElementById(id);
    const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let painted = 0;
    for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) painted++;
    return [id, {labels: chart ? chart.data.labels : null, painted: painted,
                 datasets: chart ? chart.data.datasets.map((d) => ({label: d.label, data: d.data})) : null}];
  })),
})"""

EXPLAINED = """JSON.stringify({
  ready: document.getElementById('explain').dataset.ready,
  open: document.getElementById('explain').open,
  figure: document.getElementById('explain-figure').dataset.value,
  rows: Array.from(document.querySelectorAll('#explain-lines tbody tr')).map((r) => Array.from(r.cells).map((c) => c.textContent)),
  figures: Array.from(document.querySelectorAll('#explain [data-figure]')).map((e) => Object.assign({}, e.dataset, {text: e.textContent})),
})"""


def wait_for(browser, expression, what):
    deadline = time.monotonic() + PAGE_READY_S
    while time.monotonic() < deadline:
        state = browser.evaluate(expression)
        if state in ("true", "error"):
            return state
        time.sleep(0.05)
    raise RuntimeError(f"{what} did not get ready within {PAGE_READY_S} s")


def wait_ready(browser, url=None):
    if url:
        browser.evaluate("document.body && delete document.body.dataset.ready")  # a new fragment reloads in place
        browser.send("Page.navigate", {"url": url})
        time.sleep(0.2)
    wait_for(browser, "document.body ? document.body.dataset.ready || '' : ''", "the page")
    return json.loads(browser.evaluate(SHOWN))


def click(browser, selector):
    found = browser.evaluate(f"(() => {{ const e = document.querySelector({json.dumps(selector)}); "
                             "if (!e) return false; e.click(); return true; })()")
    check(found, f"nothing to click at {selector}")
    return found


def screenshot(browser, path):
    size = browser.send("Page.getLayoutMetrics")["cssContentSize"]
    clip = {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}
    data = browser.send("Page.captureScreenshot", {"format": "png", "clip": clip, "captureBeyondViewport": True})["data"]
    with open(path, "wb") as out:
        out.write(base64.b64decode(data))


# ---- numbers as a person reads them: the labels' number format, a second path beside app.js ----
def grouped(text, numbers):
    if text is None:
        return "–"
    match = re.fullmatch(r"(-?)([0-9]+)(?:\.([0-9]+))?", str(text))
    if not match:
        return str(text)
    digits = match.group(2)
    groups = []
    while len(digits) > 3:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    groups.insert(0, digits)
    out = match.group(1) + numbers["thousands_separator"].join(groups)
    return out + (numbers["decimal_sign"] + match.group(3) if match.group(3) is not None else "")


def grouped_percent(text, numbers):
    return "–" if text is None else grouped(text, numbers) + numbers["percent_sign"]


# ---- the checks: what the page shows against what the API says ----
def shown(page, figure, **keys):
    """The figure's element: its exact text (data-value) and what it reads (text)."""
    matches = [f for f in page["figures"]
               if f.get("figure") == figure and all(f.get(k) == v for k, v in keys.items())]
    check(len(matches) >= 1, f"the page shows no {figure} {keys}")
    return matches[0] if matches else {}


def check_figure(page, words, expected, figure, percent=False, **keys):
    """The figure's exact text is the API's, and it reads grouped in the page's language."""
    got = shown(page, figure, **keys)
    want_text = grouped_percent(expected, words["number_format"]) if percent else grouped(expected,
                                                                                          words["number_format"])
    check(got.get("value") == (None if expected is None else str(expected)),
          f"{figure} {keys}: value {got.get('value')!r}, API {expected!r}")
    check(got.get("text") == want_text, f"{figure} {keys}: reads {got.get('text')!r}, expected {want_text!r}")


def check_words(page, words):
    labels = words["labels"]
    check(page["lang"] == words["lang"], f"<html lang> is {page['lang']}, expected {words['lang']}")
    for key, text in page["labels"]:
        check(key in labels, f"the page names a label {key} the table does not have")
        check(text == labels.get(key), f"label {key}: page {text!r}, table {labels.get(key)!r}")


def gap_sentence(gap, words):
    magnitude = gap.lstrip("-")
    key = ("sentence.gap_none" if set(magnitude) <= {"0", "."} else
           "sentence.gap_favours_private" if gap.startswith("-") else "sentence.gap_favours_region_run")
    return words["labels"][key].replace("{amount}", grouped(magnitude, words["number_format"]))


def check_gap(page, neutrality, words):
    summary = neutrality["summary"]
    check_figure(page, words, summary["neutrality_gap"], "neutrality_gap")
    check(shown(page, "neutrality_gap_in_words").get("text") == gap_sentence(summary["neutrality_gap"], words),
          f"gap in words: {shown(page, 'neutrality_gap_in_words').get('text')!r}")
    check(shown(page, "neutrality_gap_favours").get("text") ==
          words["labels"]["value." + summary["neutrality_gap_favours"]], "the gap favours, in words")
    for name in ("net_per_weighted_listed_region_run", "net_per_weighted_listed_private",
                 "neutrality_gap_excluding_deficit_compensation", "neutrality_gap_assignment",
                 "overhead_compensation_per_weighted_listed_private", "internal_charges_per_weighted_listed_region_run"):
        check_figure(page, words, summary[name], name)
    check_figure(page, words, summary["neutrality_gap_percent_of_private"], "neutrality_gap_percent_of_private",
                 percent=True)


def expected_resources(neutrality):
    months = int(neutrality["provenance"]["months"])
    subtotal = {r["side"]: r for r in neutrality["tables"]["rows"] if r["row"] == "subtotal"}
    expected = {}
    for side in ("region_run", "private"):
        row = subtotal[side]
        for column, sign in COMPONENTS:
            value = per_weighted_listed(row[column], months, row["weighted_listed_avg"])
            expected[(column, side)] = decimal_text(-scaled(value, 2), 2) if sign < 0 else value
        expected[("net_resources", side)] = row["net_per_weighted_listed"]
        expected[("weighted_listed_avg", side)] = row["weighted_listed_avg"]
    return expected


def check_resources(page, neutrality, words):
    expected = expected_resources(neutrality)
    for (column, side), value in expected.items():
        if column == "weighted_listed_avg":
            check_figure(page, words, value, "weighted_listed_avg", side=side)
        else:
            check_figure(page, words, value, "per_weighted_listed", component=column, side=side)
    chart = page["charts"]["chart-resources"]
    columns = [c for c, _ in COMPONENTS] + ["net_resources"]
    for index, side in enumerate(("region_run", "private")):
        want = [float(expected[(c, side)]) for c in columns]
        check(chart["datasets"] and chart["datasets"][index]["data"] == want,
              f"resources chart, {side}: {chart['datasets']} != {want}")
    for side in ("region_run", "private"):  # the components add up to the net within an öre each
        total = sum(scaled(expected[(c, side)], 2) for c, _ in COMPONENTS)
        net = scaled(expected[("net_resources", side)], 2)
        check(abs(total - net) <= len(COMPONENTS), f"components of {side} add to {total} öre, net is {net}")


def check_cross_subsidies(page, neutrality, words):
    rows = neutrality["tables"]["cross_subsidies"]
    check(len(rows) > 0, "the sample year has cross-subsidies")
    for row in rows:
        for figure in ("region_run_to_private", "private_to_region_run"):
            check_figure(page, words, row[figure], figure, service=row["service"])
    chart = page["charts"]["chart-cross"]
    check(chart["labels"] == [words["labels"].get("value." + r["service"], r["service"]) for r in rows],
          f"cross-subsidy chart labels {chart['labels']}")
    check(chart["datasets"][0]["data"] == [float(r["region_run_to_private"]) for r in rows],
          "cross-subsidy chart, region-run to private")


def check_commitments(page, commitments, monthly, words):
    total = next(r for r in commitments["tables"]["commitments"] if r["commitment"] == "total")
    months = [m["period"] for m in monthly["months"]]
    check(months == [f"{YEAR}-{m:02d}" for m in range(1, 13)], f"months {months}")
    for m in monthly["months"]:
        cost = total["cost_" + m["period"]]
        check(m["cost"] == cost, f"{m['period']}: projection cost {m['cost']}, statement {cost}")
        check_figure(page, words, cost, "commitment_cost", period=m["period"])
        check_figure(page, words, m["appropriated"], "commitment_appropriated", period=m["period"])
        unfunded = decimal_text(scaled(cost, 2) - scaled(m["appropriated"], 2), 2)
        check_figure(page, words, unfunded, "commitment_unfunded", period=m["period"])
    for row in commitments["tables"]["commitments"]:
        for column in ("cost", "fte", "appropriated", "unfunded"):
            check_figure(page, words, row[column], "commitment_" + column, commitment=row["commitment"])
    check(shown(page, "total_unfunded").get("value") == commitments["summary"]["total_unfunded"], "total unfunded")
    chart = page["charts"]["chart-commitments"]
    check(chart["labels"] == months, "commitments chart months")
    check(chart["datasets"][-1]["data"] == [float(m["appropriated"]) for m in monthly["months"]],
          "commitments chart, appropriated")


def check_providers(page, neutrality, words):
    rows = [r for r in neutrality["tables"]["rows"] if r["row"] == "party" and r["kind"] == "provider"]
    subtotal = {r["side"]: r for r in neutrality["tables"]["rows"] if r["row"] == "subtotal"}
    check(len(rows) > 10, f"the sample year has {len(rows)} providers")
    check(sorted(page["providers"]) == sorted(r["party_id"] for r in rows), "every provider of the statement listed")
    for r in rows:
        for column in ("listed_avg", "weighted_listed_avg", "net_per_weighted_listed"):
            check_figure(page, words, r[column], "provider_" + column, party=r["party_id"])
        side = subtotal[r["side"]]["net_per_weighted_listed"]
        want = None if r["net_per_weighted_listed"] is None else \
            decimal_text(scaled(r["net_per_weighted_listed"], 2) - scaled(side, 2), 2)
        check_figure(page, words, want, "provider_difference", party=r["party_id"])
    return {r["party_id"]: r for r in rows}


def sort_key(text, scale, descending):
    """Blanks last either way, as the page sorts them."""
    if text is None:
        return (1, 0)
    return (0, -scaled(text, scale) if descending else scaled(text, scale))


def check_sorting(browser, providers):
    """Numeric columns sort on exact decimals, descending first; a second click ascends."""
    for column, scale in (("net_per_weighted_listed", 2), ("weighted_listed_avg", 4)):
        for direction in ("descending", "ascending"):
            click(browser, f"#table-providers th[data-column='{column}'] button")
            page = wait_ready(browser)
            got = [sort_key(providers[p][column], scale, direction == "descending") for p in page["providers"]]
            check(len(got) == len(providers) and got == sorted(got), f"sorted by {column} {direction}: {page['providers']}")
            check(dict(page["sorted"]).get(column) == direction, f"aria-sort of {column}: {page['sorted']}")
            check(sum(1 for _, s in page["sorted"] if s != "none") == 1, "one column sorted at a time")
    click(browser, "#table-providers th[data-column='name'] button")
    page = wait_ready(browser)
    names = [providers[p]["name"] for p in page["providers"]]
    check(dict(page["sorted"]).get("name") == "ascending", "a text column sorts ascending first")
    check(len(names) == len(providers), "every provider after sorting by name")


def check_budget(page, neutrality, commitments, words):
    rows = neutrality["tables"].get("budget", [])
    check(len(rows) > 0, "the sample year has budgets")
    for r in rows:
        where = r["party_id"] if r["row"] == "party" else "subtotal:" + r["side"] if r["row"] == "subtotal" else "total"
        for column in ("budget", "outcome", "deviation"):
            check_figure(page, words, r[column], column, line=r["line"], row=where)
        check_figure(page, words, r["deviation_percent"], "deviation_percent", percent=True, line=r["line"], row=where)
    for r in commitments["tables"].get("budget", []):
        check_figure(page, words, r["outcome"], "outcome", line=r["line"], row="commitments")
    chart = page["charts"]["chart-budget"]
    charted = [r for r in rows if r["row"] != "party"]
    check(chart["datasets"][0]["data"] == [float(r["budget"]) for r in charted], "budget chart, budgets")
    check(chart["datasets"][1]["data"] == [float(r["outcome"]) for r in charted], "budget chart, outcomes")


def check_previous(page, words):
    """The ledger holds one year: the page says plainly that there is no earlier one."""
    check(page["previous"] == "none", f"previous year shown as {page['previous']!r}")
    want = words["labels"]["dashboard.no_previous_year"]
    for name, value in (("region", REGION), ("scheme", words["labels"]["value." + SCHEME]),
                        ("from", f"{int(YEAR) - 1}-01"), ("to", f"{int(YEAR) - 1}-12")):
        want = want.replace("{" + name + "}", value)
    check(page["previous_note"] == want, f"no earlier year: {page['previous_note']!r}, expected {want!r}")


# (figure key on the page, table of the comparison, side or None, column): one cell per region
COMPARISON_FIGURES = [
    ("as_of_seq", "regions", None, "as_of_seq"),
    ("listed_avg.region_run", "sides", "region_run", "listed_avg"),
    ("weighted_listed_avg.region_run", "sides", "region_run", "weighted_listed_avg"),
    ("net_per_weighted_listed.region_run", "sides", "region_run", "net_per_weighted_listed"),
    ("listed_avg.private", "sides", "private", "listed_avg"),
    ("weighted_listed_avg.private", "sides", "private", "weighted_listed_avg"),
    ("net_per_weighted_listed.private", "sides", "private", "net_per_weighted_listed"),
    ("neutrality_gap", "gaps", None, "neutrality_gap"),
    ("overhead_compensation_per_weighted_listed.private", "sides", "private",
     "overhead_compensation_per_weighted_listed"),
    ("internal_charges_per_weighted_listed.region_run", "sides", "region_run",
     "internal_charges_per_weighted_listed"),
    ("commitment_costs_per_weighted_listed_region_run", "gaps", None,
     "commitment_costs_per_weighted_listed_region_run"),
]


def check_comparison(page, comparison, words):
    """One row per region, each figure the comparison's JSON text, and the gap's bar per region."""
    tables = comparison["tables"]
    regions = [r["region"] for r in tables["regions"]]
    check(regions == [REGION, SECOND_REGION] or regions == sorted([REGION, SECOND_REGION]),
          f"the comparison's regions {regions}")
    check(page["comparison_rows"] == regions, f"the comparison rows {page['comparison_rows']}, API {regions}")
    check(page["comparison_regions"] == str(len(regions)) and page["comparison_note"] == "",
          f"the comparison note with {len(regions)} regions: {page['comparison_note']!r}")
    for region in regions:
        for key, table, side, column in COMPARISON_FIGURES:
            row = next(r for r in tables[table] if r["region"] == region and (side is None or r["side"] == side))
            check(row[column] is not None, f"the sample has {column} of {region} {side}")
            check_figure(page, words, row[column], "comparison", region=region, key=key)
    gaps = [next(g["neutrality_gap"] for g in tables["gaps"] if g["region"] == r) for r in regions]
    chart = page["charts"]["chart-comparison"]
    check(chart["labels"] == regions, f"the comparison chart's regions {chart['labels']}")
    check(chart["datasets"] and chart["datasets"][0]["data"] == [float(g) for g in gaps],
          f"the comparison chart's gaps {chart['datasets']}, API {gaps}")


def check_one_region(browser, base, words):
    """Foot care: only SE-Z's sample has it, and the comparison says so plainly, with that one row."""
    comparison = get_json(base, "/v1/statements/comparison", {"scheme": "foot_care", "year": YEAR})
    check([r["region"] for r in comparison["tables"]["regions"]] == [REGION], "foot care: only SE-Z has it")
    page = wait_ready(browser, f"{base}/#region={REGION}&scheme=foot_care&year={YEAR}&lang={words['lang']}")
    check(page["ready"] == "true", f"the page of foot care: {page['status']}")
    want = words["labels"]["dashboard.comparison_one_region"]
    for name, value in (("region", REGION), ("scheme", words["labels"]["value.foot_care"]), ("year", YEAR)):
        want = want.replace("{" + name + "}", value)
    check(page["comparison_regions"] == "1" and page["comparison_note"] == want,
          f"one region: {page['comparison_regions']} {page['comparison_note']!r}, expected {want!r}")
    check(page["comparison_rows"] == [REGION], f"the one region's row: {page['comparison_rows']}")
    seq = comparison["tables"]["regions"][0]["as_of_seq"]
    check(shown(page, "comparison", region=REGION, key="as_of_seq").get("value") == str(seq), "the one region's seq")


def check_bridge(page, neutrality, words):
    summary = neutrality["summary"]
    parts = [c for c, _ in COMPONENTS_IN_STATEMENT_ORDER] + ["rounding"]
    values = [summary["gap_bridge_" + p] for p in parts]
    check(sum(scaled(v, 2) for v in values) == scaled(summary["neutrality_gap"], 2), "the bridge sums to the gap")
    check(page["sums_to_gap"] == "true", "the page found the bridge summing to the gap")
    for part, value in zip(parts, values):
        check_figure(page, words, value, "gap_bridge", part=part)
    check_figure(page, words, summary["neutrality_gap"], "gap_bridge", part="neutrality_gap")
    bars = page["charts"]["chart-bridge"]["datasets"][0]["data"]
    check(len(bars) == len(parts) + 1, f"{len(bars)} waterfall bars for {len(parts)} parts and the gap")
    running = 0
    for (start, end), value in zip(bars, values):
        check(abs(start - running / 100) < 0.005, f"a bridge bar starts at {start}, the running sum is {running}")
        running += scaled(value, 2)
        check(abs(end - running / 100) < 0.005, f"a bridge bar ends at {end}, the running sum is {running}")
    check(bars[-1] == [0, float(summary["neutrality_gap"])], f"the gap's bar {bars[-1]}")


def check_reports(page, base):
    links = {(statement, fmt): href for statement, fmt, href in page["reports"]}
    for statement in ("neutrality", "commitments"):
        for fmt in ("pdf", "xlsx"):
            check((statement, fmt) in links, f"no {fmt} link for {statement}")
    href = links.get(("neutrality", "pdf"))
    if not href:
        return
    check("lang=" + page["lang"] in href, f"the PDF link asks for the page's language: {href}")
    with urllib.request.urlopen(href, timeout=60) as response:
        body = response.read()
        check(response.status == 200, f"PDF link answered {response.status}")
        check(response.headers.get("Content-Type", "").startswith("application/pdf"),
              f"PDF link answered {response.headers.get('Content-Type')}")
        check(body.startswith(b"%PDF-"), "the PDF link's body is a PDF")


def check_click_through(browser, commitments):
    """Clicking a figure opens its postings, whose amounts sum to it, with source and decision."""
    total = next(r for r in commitments["tables"]["commitments"] if r["commitment"] == "total")
    click(browser, "[data-figure='commitment_cost'][data-commitment='total']")
    wait_for(browser, "document.getElementById('explain').dataset.ready || ''", "the drill-down")
    shown_lines = json.loads(browser.evaluate(EXPLAINED))
    check(shown_lines["ready"] == "true" and shown_lines["open"], f"the drill-down is {shown_lines['ready']}")
    check(shown_lines["figure"] == total["cost"], f"the drill-down's figure {shown_lines['figure']}")
    amounts = [f["value"] for f in shown_lines["figures"] if f.get("figure") == "explain_amount"]
    check(len(amounts) > 12, f"{len(amounts)} postings listed")
    check(decimal_text(sum(scaled(a, 2) for a in amounts), 2) == total["cost"],
          f"the listed amounts sum to {decimal_text(sum(scaled(a, 2) for a in amounts), 2)}, the figure is {total['cost']}")
    sums = [f["value"] for f in shown_lines["figures"] if f.get("figure") == "explain_sum"]
    check(sums == [total["cost"]], f"the drill-down's sum row {sums}")
    posting_rows = [r for r in shown_lines["rows"] if len(r) == 7]
    check(all(r[3].startswith("raindance ") for r in posting_rows), "every posting names its source")
    check(all(r[4] == "RS/773/2021" for r in posting_rows), "every commitment cost cites its decision")
    # The fte of the BT director of studies: the events that carry it (Task: fte explained).
    browser.evaluate("document.getElementById('explain').close()")
    click(browser, "[data-figure='commitment_fte'][data-commitment='bt_director_of_studies']")
    wait_for(browser, "document.getElementById('explain').dataset.ready || ''", "the fte drill-down")
    fte = json.loads(browser.evaluate(EXPLAINED))
    ftes = [f["value"] for f in fte["figures"] if f.get("figure") == "explain_fte"]
    check(ftes == ["0.2000"] * 12, f"the fte's events {ftes}")
    browser.evaluate("document.getElementById('explain').close()")


def check_previous_shown(browser, base, api):
    """The year after the sample's: its previous year is the sample year, shown with the change."""
    later = str(int(YEAR) + 1)
    params = {"scheme": SCHEME, "from": f"{later}-01", "to": f"{later}-12"}
    now = get_json(base, f"/v1/regions/{REGION}/statements/neutrality", params)
    page = wait_ready(browser, f"{base}/#region={REGION}&scheme={SCHEME}&year={later}&lang=en")
    check(page["ready"] == "true", f"the page of {later}: {page['status']}")
    check(page["previous"] == "shown", f"the previous year of {later} shown as {page['previous']!r}")
    before = api["neutrality"]
    pairs = {
        "neutrality_gap": (before["summary"].get("neutrality_gap"), now["summary"].get("neutrality_gap")),
        "net_resources.region_run": tuple(next(r["net_resources"] for r in s["tables"]["rows"]
                                               if r["row"] == "subtotal" and r["side"] == "region_run")
                                          for s in (before, now)),
    }
    for key, (earlier, current) in pairs.items():
        check(shown(page, "previous", key=key).get("value") == earlier, f"previous {key}: {shown(page, 'previous', key=key)}")
        check(shown(page, "current", key=key).get("value") == current, f"current {key}")
        if earlier is not None and current is not None:
            change = decimal_text(scaled(current, 2) - scaled(earlier, 2), 2)
            check(shown(page, "change", key=key).get("value") == change, f"change of {key}")


def check_page(page, api, words):
    check(page["ready"] == "true", f"the page says data-ready={page['ready']}: {page['status']}")
    for chart_id, chart in page["charts"].items():
        check(chart["datasets"] is not None, f"{chart_id} has no chart")
        check(chart["painted"] > 1000, f"{chart_id} looks blank ({chart['painted']} painted pixels)")
    if failures:
        return
    check_words(page, words)
    check_gap(page, api["neutrality"], words)
    check_resources(page, api["neutrality"], words)
    check_cross_subsidies(page, api["neutrality"], words)
    check_commitments(page, api["commitments"], api["monthly"], words)
    check_budget(page, api["neutrality"], api["commitments"], words)
    check_previous(page, words)
    check_bridge(page, api["neutrality"], words)
    check_comparison(page, api["comparison"], words)
    check_ingestion(page, api["ingestion"], api["head"])
    check_kafka(page, api["ingestion"]["kafka"], words)


def check_ingestion(page, ingestion, head):
    check(ingestion["head_seq"] == head["seq"], f"ingestion head {ingestion['head_seq']}, /head {head['seq']}")
    check(shown(page, "head_seq").get("value") == str(head["seq"]), "head seq shown")
    check(shown(page, "projected_seq").get("value") == str(ingestion["projected_seq"]), "projected seq shown")
    check(shown(page, "projection_lag").get("value") == str(ingestion["projection_lag"]), "projection lag shown")
    labelled = ingestion["rejections_by_reason"] + ingestion["rejections_without_region_by_reason"]
    check(sum(r["rejections"] for r in labelled) == 1, f"one rejection expected, the API has {labelled}")
    for r in labelled:
        check(shown(page, "rejections", reason=r["reason"]).get("value") == str(r["rejections"]),
              f"rejections {r['reason']}")


def check_kafka(page, kafka, words):
    check(kafka["broker"] == "up", f"the brokers are {kafka['broker']}, expected up")
    check(shown(page, "kafka_broker").get("text") == words["labels"]["dashboard.broker.up"],
          "the brokers shown as reachable")
    partitions = kafka["partitions"]
    check([(p["offset_next"], p["high_watermark"], p["lag"]) for p in partitions] ==
          [(KAFKA_STORED, KAFKA_PUBLISHED, KAFKA_PUBLISHED - KAFKA_STORED)], f"Kafka partitions {partitions}")
    for p in partitions:
        key = f"{p['consumer_group']}/{p['topic']}/{p['partition']}"
        for figure, value in (("offset_next", p["offset_next"]), ("high_watermark", p["high_watermark"]),
                              ("kafka_lag", p["lag"])):
            check(shown(page, figure, partition=key).get("value") == str(value), f"{figure} of {key}")
    check(shown(page, "kafka_lag_total").get("value") == str(sum(p["lag"] for p in partitions)), "Kafka lag in total")


def fetch_api(base):
    statement = {"scheme": SCHEME, "from": f"{YEAR}-01", "to": f"{YEAR}-12"}
    path = f"/v1/regions/{REGION}"
    return {
        "neutrality": get_json(base, path + "/statements/neutrality", statement),
        "commitments": get_json(base, path + "/statements/commitments", statement),
        "monthly": get_json(base, path + "/commitments/monthly", statement),
        "ingestion": get_json(base, path + "/ingestion"),
        "head": get_json(base, path + "/head"),
        "comparison": get_json(base, "/v1/statements/comparison", {"scheme": SCHEME, "year": YEAR}),
        "sv": get_json(base, "/v1/labels", {"lang": "sv"}),
        "en": get_json(base, "/v1/labels", {"lang": "en"}),
    }


def check_dashboard(browser, base, api, screenshot_path):
    page = wait_ready(browser, f"{base}/#region={REGION}&scheme={SCHEME}&year={YEAR}")
    log("page ready")
    screenshot(browser, screenshot_path)
    check(page["lang"] == "sv", "Swedish by default")
    check("\u00a0" in shown(page, "commitment_cost", commitment="total").get("text", ""),
          "Swedish figures grouped with no-break spaces")
    check_page(page, api, api["sv"])
    if failures:
        return
    check_reports(page, base)
    providers = check_providers(page, api["neutrality"], api["sv"])
    check_sorting(browser, providers)
    check_click_through(browser, api["commitments"])
    log("Swedish page checked; switching to English")
    click(browser, "[data-lang='en']")
    english = wait_ready(browser)
    check(english["lang"] == "en", f"after the switch <html lang> is {english['lang']}")
    check_page(english, api, api["en"])
    check_providers(english, api["neutrality"], api["en"])
    check(english["providers"] and sorted(english["providers"]) == sorted(providers), "the providers after the switch")
    check_reports(english, base)
    check_one_region(browser, base, api["en"])
    check_previous_shown(browser, base, api)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--likvard", required=True, help="the likvard executable")
    parser.add_argument("--likvard-ingest", required=True, help="the likvard-ingest executable (embedded broker)")
    parser.add_argument("--screenshot", required=True, help="where to save the PNG")
    args = parser.parse_args()
    started = time.monotonic()
    chromium = shutil.which("chromium")
    if chromium is None:
        print("SKIPPED: chromium is not installed; ops/setup installs the Debian package 'chromium'")
        return SKIP
    admin = os.environ.get("LIKVARD_DATABASE_URL")
    if not admin:
        log("LIKVARD_DATABASE_URL is not set: run ops/test, or export LIKVARD_DATABASE_URL=$(ops/pg start)")
        return 1
    name = f"likvard_browser_{os.getpid()}"
    urls = role_urls(with_database(admin, name))
    psql(admin, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    psql(admin, f"CREATE DATABASE {name}")
    server = browser = broker = None
    work = tempfile.mkdtemp(prefix="likvard-dashboard-")
    try:
        load_ledger(args.likvard, urls, work)
        log(f"ledger loaded ({time.monotonic() - started:.1f} s)")
        broker, brokers = start_broker(args.likvard_ingest, urls["owner"], work)
        server, port = start_server(args.likvard, urls, work, brokers)
        base = f"http://127.0.0.1:{port}"
        wait_broker_up(base)
        api = fetch_api(base)
        browser = Browser(chromium, work)
        browser.attach()
        log(f"server and chromium up ({time.monotonic() - started:.1f} s)")
        check_dashboard(browser, base, api, args.screenshot)
        log(f"checked ({time.monotonic() - started:.1f} s)")
    except Exception as error:  # noqa: BLE001 - reported as a failure with the logs
        failures.append(f"{type(error).__name__}: {error}")
        for log_name in ("serve.log", "broker.log", "chromium.log"):
            path = os.path.join(work, log_name)
            if os.path.exists(path):
                with open(path, encoding="utf-8", errors="replace") as text:
                    lines = [line for line in text if "dbus" not in line]  # no D-Bus in a container
                    log(f"--- {log_name} (tail) ---\n" + "".join(lines[-40:]))
    finally:
        if browser:
            browser.close()
        if server:
            server.terminate()
            server.wait(timeout=30)
        if broker:
            broker.terminate()
            broker.wait(timeout=30)
        psql(admin, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        shutil.rmtree(work, ignore_errors=True)
    elapsed = time.monotonic() - started
    for failure in failures:
        log("FAILED: " + failure)
    print(f"dashboard: {0 if failures else 1} passed, {1 if failures else 0} failed ({elapsed:.1f} s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
