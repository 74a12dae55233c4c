#!/usr/bin/env bash
# Fleet benchmark: scans the lab fleet (default 1,000 portals) and prints sites/s, CPU seconds per site,
# max RSS and connections per site; in the same run it times a floor (one `curl` request per portal with
# the same concurrency, through xargs -P) and, when it can be installed from PyPI, sslyze (a peer that does
# only the TLS part) over a sample of the same HTTPS targets. Ratios are against the same-run baselines.
# With BASELINE_BIN=path/to/an/earlier/portal-audit it also scans the same portals with that binary and this
# one in turn (twice each, alternating, as the machine is shared) and prints the rate and requests of each.
# Usage: [BASELINE_BIN=…] bash Benchmarks/fleet.sh [PORTALS] [CONCURRENCY] [SSLYZE_SAMPLE]
set -euo pipefail
count=${1:-1000}; concurrency=${2:-32}; sample=${3:-100}
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
fleet_up "$count"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
export PORTAL_AUDIT_LOOPBACK_ONLY=1

# The fleet without its deliberately slow portals (they are measured separately below), and its URLs for curl.
fast_inventory "$work/fast.yaml"
fleet_urls "$work/urls.txt" 127.0.0.1
fast=$(grep -c '^  - url: ' "$work/fast.yaml")
python3 - "$fleet" "$work" "$sample" <<'PY'
import sys
fleet, work, sample = sys.argv[1], sys.argv[2], int(sys.argv[3])
expected = [l.rstrip("\n").split("\t") for l in open(f"{fleet}/expected.tsv")]
with open(f"{work}/sslyze.txt", "w") as ssl:
    for u, case, _ in [e for e in expected if e[1] not in ("slow", "down")][:sample]:
        host, port = u.split("/")[2].split(":")
        ssl.write(f"{host}:{port}{{127.0.0.1}}\n")
PY

now() { date +%s%N; }
secs() { python3 -c "print(f'{($2 - $1) / 1e9:.2f}')" "$@"; }

# 1. portal-audit over the fleet without slow portals. Throughput: a silent portal's confirmation (a second
# attempt 30 s later) is a fixed wait, not work, so this run asks once (--confirm-after 0: the silent portals
# are `incomplete`); run 3 below keeps the confirmation and reports its tail.
t0=$(now)
/usr/bin/time -f "%U %S %M" -o "$work/time" "$bin" scan "$work/fast.yaml" --db "$work/fast.sqlite" --ca-file "$ca" \
    --concurrency "$concurrency" --confirm-after 0 2>"$work/scan.log" || true
t1=$(now)
read -r user sys rss < <(tail -n 1 "$work/time")
scan_s=$(secs "$t0" "$t1")
summary=$(grep '^scan: run' "$work/scan.log")
conns=$(echo "$summary" | sed -E 's/.*\(([0-9.]+)\/s, ([0-9.]+) connections each\).*/\2/')
agree=$(python3 - "$work/fast.sqlite" "$fleet/expected.tsv" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
got = dict(db.execute("SELECT url, verdict FROM portalResult"))
# Asked once, a silent portal is incomplete, not yet down.
exp = {u: ("incomplete" if c == "down" else v)
       for u, c, v in (l.rstrip("\n").split("\t") for l in open(sys.argv[2])) if c != "slow"}
print(f"{sum(got.get(u) == v for u, v in exp.items())}/{len(exp)}")
PY
)

# Spam injection over the same run: precision and recall against the seeded injected portals and traps,
# and what the content probe costs in requests per portal.
spam=$("$bin" report --db "$work/fast.sqlite" --format json --out - | python3 -c '
import json, sys
doc = json.load(sys.stdin)
cases = {u: c for u, c, _ in (l.rstrip("\n").split("\t") for l in open(sys.argv[1]))}
flagged = {s["target"]["url"] for s in doc["sites"]
           if any(f["rule"] == "content.spam-injection" and f["status"] == "fail" for f in s["findings"])}
injected = {u for u, c in cases.items() if c.startswith("spam-")}
traps = {u for u, c in cases.items() if c.startswith("trap-")}
hit = len(flagged & injected)
precision = hit / len(flagged) if flagged else 1.0
requests = sum(s["cost"]["requests"] for s in doc["sites"]) / max(1, len(doc["sites"]))
print(f"spam injection     : {hit}/{len(injected)} injected portals found, {len(flagged & traps)}/{len(traps)} traps flagged; "
      f"precision {precision:.2f}, recall {hit / max(1, len(injected)):.2f}; {requests:.1f} requests/portal")
' "$fleet/expected.tsv")

# 1b. the same scan without the page sample (--sample-pages 0): what the 20-page sample costs
t0=$(now)
"$bin" scan "$work/fast.yaml" --db "$work/nosample.sqlite" --ca-file "$ca" --concurrency "$concurrency" \
    --confirm-after 0 --sample-pages 0 2>"$work/nosample.log" || true
t1=$(now)
nosample_s=$(secs "$t0" "$t1")
nosample_requests=$("$bin" report --db "$work/nosample.sqlite" --format json --out - | python3 -c '
import json, sys
doc = json.load(sys.stdin)
sites = doc["sites"]
print("%.1f" % (sum(s["cost"]["requests"] for s in sites) / max(1, len(sites))))')

# 1c. what reading documents costs: --documents 0 against the default (3; every fleet portal links one PDF,
# a plan of 1 KiB, as most portals link a few), alternating, twice each
doc_times=""
for round in 1 2; do
    for documents in 0 3; do
        t0=$(now)
        "$bin" scan "$work/fast.yaml" --db "$work/docs-$documents-$round.sqlite" --ca-file "$ca" \
            --concurrency "$concurrency" --confirm-after 0 --documents "$documents" 2>/dev/null || true
        t1=$(now)
        doc_requests=$("$bin" report --db "$work/docs-$documents-$round.sqlite" --format json --out - | python3 -c '
import json, sys
sites = json.load(sys.stdin)["sites"]
read = sum(sum(1 for d in ((s["observation"].get("content") or {}).get("privacy") or {}).get("documents", [])
               if d["read"] == "read") for s in sites)
print("%.1f/%d" % (sum(s["cost"]["requests"] for s in sites) / max(1, len(sites)), read))')
        doc_times="$doc_times $documents:$(secs "$t0" "$t1"):$doc_requests"
    done
done
documents_line=$(python3 - "$fast" $doc_times <<'PY'
import sys
fast = int(sys.argv[1])
runs = {}
for item in sys.argv[2:]:
    documents, secs, cost = item.split(":")
    requests, read = cost.split("/")
    runs.setdefault(documents, []).append((float(secs), float(requests), int(read)))
def rate(d): return fast / (sum(s for s, _, _ in runs[d]) / len(runs[d]))
off, on = rate("0"), rate("3")
print(f"documents          : --documents 0 {off:.1f} sites/s ({runs['0'][0][1]:.1f} requests/portal), default 3 "
      f"{on:.1f} sites/s ({runs['3'][0][1]:.1f} requests/portal, {runs['3'][0][2]} documents read): rate "
      f"{100 * (on / off - 1):+.1f} % (two alternating scans each)")
PY
)

# 2. the floor: one curl GET per portal, same concurrency
t0=$(now)
xargs -P "$concurrency" -L 1 curl -s -o /dev/null --max-time 10 --cacert "$ca" <"$work/urls.txt" || true
t1=$(now)
curl_s=$(secs "$t0" "$t1")

# 3. the whole fleet, slow and silent portals included, silent ones confirmed 30 s later: none of them may
# hold the rest back
t0=$(now)
"$bin" scan "$fleet/inventory.yaml" --db "$work/all.sqlite" --ca-file "$ca" --concurrency "$concurrency" 2>"$work/all.log" || true
t1=$(now)
all_s=$(secs "$t0" "$t1")
fast_done=$(python3 - "$work/all.sqlite" "$fleet/expected.tsv" <<'PY'
import sqlite3, sys
from datetime import datetime
db = sqlite3.connect(sys.argv[1])
slow = {u for u, c, _ in (l.rstrip("\n").split("\t") for l in open(sys.argv[2])) if c in ("slow", "down")}
start = datetime.fromisoformat(db.execute("SELECT startedAt FROM auditRun").fetchone()[0][:23])
times = [(u, datetime.fromisoformat(t[:23])) for u, t in db.execute("SELECT url, observedAt FROM portalResult")]
fast = max(t for u, t in times if u not in slow)
print(f"{(fast - start).total_seconds():.2f}")
PY
)
slow=$(grep -c $'\tslow\t' "$fleet/expected.tsv" || true)

# 4. sslyze on a sample (TLS only), when PyPI has it
sslyze_line="sslyze             : not installed (pip install sslyze failed)"
if command -v sslyze >/dev/null || pip install -q sslyze >/dev/null 2>&1; then
    n=$(wc -l <"$work/sslyze.txt")
    t0=$(now)
    sslyze --quiet --targets_in "$work/sslyze.txt" --tlsv1 --tlsv1_1 --tlsv1_2 --tlsv1_3 --certinfo \
        --json_out "$work/sslyze.json" >/dev/null 2>&1 || true
    t1=$(now)
    ss=$(secs "$t0" "$t1")
    per_pa=$(python3 -c "print($scan_s / $fast)")
    sslyze_line=$(python3 -c "s=$ss; n=$n; print(f'sslyze (TLS only)  : {n} targets in {s:.2f} s = {n/s:.1f} sites/s; portal-audit is {(s/n)/$per_pa:.1f}x faster per site')")
fi

# Before and after: the same scan with the baseline binary and this one, alternating.
baseline_line=""
if [ -n "${BASELINE_BIN:-}" ]; then
    times=""
    for round in 1 2; do
        for which in baseline current; do
            b=$bin; [ "$which" = baseline ] && b=$BASELINE_BIN
            t0=$(now)
            "$b" scan "$work/fast.yaml" --db "$work/$which-$round.sqlite" --ca-file "$ca" --concurrency "$concurrency" \
                --confirm-after 0 2>/dev/null || true
            t1=$(now)
            requests=$("$bin" report --db "$work/$which-$round.sqlite" --format json --out - | python3 -c '
import json, sys
sites = json.load(sys.stdin)["sites"]
print("%.1f" % (sum(s["cost"]["requests"] for s in sites) / max(1, len(sites))))')
            times="$times $which:$(secs "$t0" "$t1"):$requests"
        done
    done
    baseline_line=$(python3 - "$fast" $times <<'PY'
import sys
fast = int(sys.argv[1])
runs = {}
for item in sys.argv[2:]:
    which, secs, requests = item.split(":")
    runs.setdefault(which, []).append((float(secs), float(requests)))
def rate(which): return fast / (sum(s for s, _ in runs[which]) / len(runs[which]))
def requests(which): return runs[which][0][1]
before, after = rate("baseline"), rate("current")
print(f"before/after       : baseline {before:.1f} sites/s ({requests('baseline'):.1f} requests/portal), this build "
      f"{after:.1f} sites/s ({requests('current'):.1f} requests/portal): rate {100 * (after / before - 1):+.1f} % "
      f"(two alternating scans each)")
PY
)
fi

python3 - <<PY
fast, scan, curl, allw = $fast, $scan_s, $curl_s, $all_s
user, sys_, rss = $user, $sys, $rss
print(f"portals            : {fast} (fleet of $count without its $slow slow portals), concurrency $concurrency")
print(f"portal-audit scan  : {scan:.2f} s wall = {fast/scan:.1f} sites/s; CPU {1000*(user+sys_)/fast:.1f} ms/site; max RSS {rss/1024:.0f} MB; {float('$conns'):.1f} connections/site")
print(f"verdicts as planned: $agree")
print(f"without the sample : {$nosample_s:.2f} s wall = {fast/$nosample_s:.1f} sites/s, $nosample_requests requests/portal (--sample-pages 0); the 20-page sample costs {scan/$nosample_s:.2f}x the time")
print(f"curl floor         : {curl:.2f} s wall = {fast/curl:.1f} sites/s (1 connection/site); scan/floor = {scan/curl:.2f}x")
print(f"whole fleet        : {allw:.2f} s wall for all $count, silent portals confirmed by a second attempt 30 s later; the others were all done after $fast_done s (slow ones answer after 5 s; budget 10 s)")
PY
echo "$spam"
echo "$documents_line"
echo "$sslyze_line"
[ -z "$baseline_line" ] || echo "$baseline_line"
