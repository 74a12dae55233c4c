#!/usr/bin/env bash
# The PostgreSQL history's cost: the lab fleet (without its deliberately slow portals) scanned into SQLite
# and into PostgreSQL (a throwaway cluster on loopback, scripts/pg), in the same run, alternated ROUNDS
# times; then into PostgreSQL by two scanner processes sharing the run (--workers 2). Prints sites/s and
# connections per site of each, the PostgreSQL/SQLite ratio of the medians, and `db copy` of the SQLite
# history into a new PostgreSQL database.
# Usage: bash Benchmarks/postgres.sh [PORTALS] [CONCURRENCY] [ROUNDS]
set -euo pipefail
count=${1:-1000}; concurrency=${2:-32}; rounds=${3:-3}
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
fleet_up "$count"
bash scripts/pg start >/dev/null
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
export PORTAL_AUDIT_LOOPBACK_ONLY=1
fast_inventory "$work/fast.yaml"
port=${PORTAL_AUDIT_PG_PORT:-25432}
psql_() { psql -X -q -t -A -h 127.0.0.1 -p "$port" -U portal -d postgres -c "$1"; }

# scan NAME DB [ARGS…]: one scan, its "rate connections" appended to $work/NAME.
scan() {
    local name=$1 db=$2; shift 2
    "$bin" scan "$work/fast.yaml" --db "$db" --ca-file "$ca" --concurrency "$concurrency" --confirm-after 0 "$@" \
        2>"$work/$name.log" || true
    grep '^scan: run' "$work/$name.log" | sed -E 's/.*\(([0-9.]+)\/s, ([0-9.]+) connections each\).*/\1 \2/' >>"$work/$name"
}
for round in $(seq 1 "$rounds"); do
    scan sqlite "$work/round$round.sqlite"
    psql_ "CREATE DATABASE bench$round$$" >/dev/null
    scan postgres "postgres://portal@127.0.0.1:$port/bench$round$$"
done
psql_ "CREATE DATABASE benchw$$" >/dev/null
scan workers "postgres://portal@127.0.0.1:$port/benchw$$" --workers 2
psql_ "CREATE DATABASE benchc$$" >/dev/null
t0=$(date +%s%N)
"$bin" db copy --from "$work/round1.sqlite" --to "postgres://portal@127.0.0.1:$port/benchc$$" 2>"$work/copy.log"
t1=$(date +%s%N)
python3 - "$work" "$(grep -c '^  - url: ' "$work/fast.yaml")" "$(( (t1 - t0) / 1000000 ))" "$(tail -n 1 "$work/copy.log")" <<'PY'
import statistics, sys
work, portals, copy_ms, copy_line = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
def runs(name):
    return [tuple(map(float, l.split())) for l in open(f"{work}/{name}") if l.strip()]
med = {n: (statistics.median(r for r, _ in runs(n)), statistics.median(c for _, c in runs(n)))
       for n in ("sqlite", "postgres")}
# --workers 2 is one scan by two processes: each prints its own rate over its own share; the scan's is their sum.
workers = runs("workers")
med["workers"] = (sum(r for r, _ in workers), statistics.mean(c for _, c in workers))
print(f"fleet of {portals} portals, concurrency as given, each scan asked once per silent portal")
for name, label in (("sqlite", "into SQLite"), ("postgres", "into PostgreSQL"), ("workers", "into PostgreSQL, --workers 2")):
    rates = ", ".join(f"{r:.1f}" for r, _ in runs(name))
    what = "per process" if name == "workers" else "runs"
    print(f"  {label:32} {med[name][0]:6.1f} sites/s ({what}: {rates}), {med[name][1]:.1f} connections per site")
print(f"  PostgreSQL / SQLite rate: {med['postgres'][0] / med['sqlite'][0]:.3f}")
print(f"  db copy of the SQLite history into PostgreSQL: {copy_ms} ms ({copy_line.split(': ', 1)[-1]})")
PY
