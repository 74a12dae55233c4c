#!/usr/bin/env bash
# Latency benchmark: real networks are latency-bound, not CPU-bound. Scans the lab fleet (default 1,000
# portals) through scripts/lab-latency.py, which adds RTT_MS of round-trip time on loopback (127.0.0.2 →
# 127.0.0.1), and prints portals/s, connections per portal and the round trips on each portal's critical
# path (its wall time divided by the RTT: median, p95, max). In the same run, the floor: one curl GET per
# portal through the same proxy and concurrency.
# Usage: bash Benchmarks/latency.sh [PORTALS] [CONCURRENCY] [RTT_MS]
set -euo pipefail
count=${1:-1000}; concurrency=${2:-128}; rtt=${3:-50}
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
fleet_up "$count"
work=$(mktemp -d)
python3 "$root/scripts/lab-latency.py" 127.0.0.2 127.0.0.1 "$((rtt / 2))" $(seq 18600 18657) >"$work/proxy.log" 2>&1 &
proxy=$!
trap 'kill $proxy 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do grep -q ready "$work/proxy.log" && break; sleep 0.1; done
export PORTAL_AUDIT_LOOPBACK_ONLY=1

# The fleet without its slow portals (measured by fleet.sh), every name pinned to the proxy (IPv4 only).
fast_inventory "$work/fleet.yaml" 127.0.0.2
fleet_urls "$work/urls.txt" 127.0.0.2
portals=$(grep -c '^  - url: ' "$work/fleet.yaml")
now() { date +%s%N; }

# Unloaded: ten portals one at a time, for the round trips on one portal's critical path.
python3 - "$work" <<'PY'
import sys
work = sys.argv[1]
parts = open(f"{work}/fleet.yaml").read().split("\n  - url: ")
open(f"{work}/ten.yaml", "w").write("\n  - url: ".join(parts[:11]) + "\n")
PY
# Silent portals are asked once (--confirm-after 0): their confirmation is a fixed 30 s wait, not latency.
"$bin" scan "$work/ten.yaml" --db "$work/ten.sqlite" --ca-file "$ca" --concurrency 1 --confirm-after 0 2>/dev/null || true
t0=$(now)
"$bin" scan "$work/fleet.yaml" --db "$work/scan.sqlite" --ca-file "$ca" --concurrency "$concurrency" --confirm-after 0 \
    2>"$work/scan.log" || true
t1=$(now)
t2=$(now)
xargs -P "$concurrency" -L 1 curl -s -o /dev/null --max-time 10 --cacert "$ca" <"$work/urls.txt" || true
t3=$(now)
python3 - "$work/scan.sqlite" "$portals" "$t0" "$t1" "$t2" "$t3" "$rtt" "$concurrency" "$(grep '^scan: run' "$work/scan.log")" <<'PY'
import json, sqlite3, statistics, sys, zlib
db_path, portals, t0, t1, t2, t3, rtt, concurrency, summary = sys.argv[1:]
portals, rtt = int(portals), float(rtt)
scan, floor = (int(t1) - int(t0)) / 1e9, (int(t3) - int(t2)) / 1e9
db = sqlite3.connect(db_path)
rows = db.execute("SELECT durationMS, connections, verdict FROM portalResult").fetchall()
trips = sorted(d / rtt for d, _, _ in rows)
conns = [c for _, c, _ in rows]
def pct(p): return trips[min(len(trips) - 1, int(p * len(trips)))]
verdicts = {}
for *_, v in rows: verdicts[v] = verdicts.get(v, 0) + 1
print(f"portals            : {portals} through a {rtt:.0f} ms RTT proxy, concurrency {concurrency}")
print(f"portal-audit scan  : {scan:.1f} s wall = {portals / scan:.1f} portals/s; {statistics.mean(conns):.1f} connections/portal (max {max(conns)})")
print(f"portal wall time   : {statistics.median(trips):.1f} RTT median, {pct(0.95):.1f} p95, {trips[-1]:.1f} max at this concurrency (queueing on this machine's 2 cores included)")
alone = sorted(d / rtt for (d,) in sqlite3.connect(db_path.replace("scan.sqlite", "ten.sqlite")).execute("SELECT durationMS FROM portalResult"))
print(f"critical path      : {statistics.median(alone):.1f} round trips median, {alone[-1]:.1f} max (ten portals scanned one at a time)")
print(f"verdicts           : {verdicts}")
print(f"curl floor         : {floor:.1f} s wall = {portals / floor:.1f} portals/s (1 GET, 1 connection each); scan/floor = {scan / floor:.2f}x")
print(f"  {summary}")
PY
