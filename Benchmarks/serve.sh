#!/usr/bin/env bash
# Dashboard benchmark (issue 17): a 10,000-portal run's overview and first page of portals under 300 ms of
# server time, the API paged, memory flat while browsing.
# Scans the lab fleet (1,000 portals) twice, copies each run ten times over into a history of two
# 10,000-portal runs (each portal's result and findings, under ten names), serves it, and asks every page
# N times. Server time is the server's own `Server-Timing` header; RSS is read from /proc before and after
# browsing. Baseline, measured in the same run: `portal-audit report --format html` of the same run
# (what an officer opens today). The copies make no traffic: only the two scans do.
# Usage: bash Benchmarks/serve.sh [REQUESTS_PER_PAGE]
set -euo pipefail
rounds=${1:-20}
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
fleet_up 1000
work=$(mktemp -d)
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
export PORTAL_AUDIT_LOOPBACK_ONLY=1
for _ in 1 2; do
    "$bin" scan "$lab/fleet/inventory.yaml" --db "$work/small.sqlite" --ca-file "$ca" --sample-pages 0 2>/dev/null || true
done
python3 - "$work/small.sqlite" "$work/h.sqlite" <<'PY'
import shutil, sqlite3, sys
small, big = sys.argv[1:]
shutil.copy(small, big)
db = sqlite3.connect(big)
db.execute("PRAGMA journal_mode=DELETE")
runs = [r[0] for r in db.execute("SELECT id FROM auditRun ORDER BY id")]
cols = [c[1] for c in db.execute("PRAGMA table_info(portalResult)") if c[1] not in ("id", "runID", "url", "name")]
for run in runs:
    new = db.execute("INSERT INTO auditRun (startedAt, finishedAt, status, inventory, profile, planned, toolVersion, evaluationVersion) "
                     "SELECT startedAt, finishedAt, status, inventory || ' ×10', profile, planned * 10, toolVersion, evaluationVersion "
                     "FROM auditRun WHERE id = ?", (run,)).lastrowid
    for copy in range(10):
        for row in db.execute("SELECT id FROM portalResult WHERE runID = ?", (run,)).fetchall():
            rid = db.execute(f"INSERT INTO portalResult (runID, url, name, {', '.join(cols)}) "
                             f"SELECT ?, replace(url, 'https://xa-', 'https://k{copy}-xa-'), name || ' #{copy}', {', '.join(cols)} "
                             "FROM portalResult WHERE id = ?", (new, row[0])).lastrowid
            db.execute("INSERT INTO finding (portalResultID, rule, status, resultCode) "
                       "SELECT ?, rule, status, resultCode FROM finding WHERE portalResultID = ?", (rid, row[0]))
    db.execute("UPDATE auditRun SET planned = (SELECT COUNT(*) FROM portalResult WHERE runID = ?) WHERE id = ?", (new, new))
db.commit()
PY
last=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT MAX(id) FROM auditRun').fetchone()[0])" "$work/h.sqlite")
portals=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT COUNT(*) FROM portalResult WHERE runID=?',(int(sys.argv[2]),)).fetchone()[0])" "$work/h.sqlite" "$last")
url=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT url FROM portalResult WHERE runID=? ORDER BY url LIMIT 1',(int(sys.argv[2]),)).fetchone()[0])" "$work/h.sqlite" "$last")
enc=$(python3 -c "import sys,urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=''))" "$url")
"$bin" serve --db "$work/h.sqlite" --listen 127.0.0.1:0 2>"$work/serve.log" &
pid=$!
for _ in $(seq 100); do grep -q "serving" "$work/serve.log" && break; sleep 0.1; done
base=$(sed -n 's|.*serving \(http://[^ ]*\)/ .*|\1|p' "$work/serve.log")
rss() { awk '/VmRSS/ { print $2 }' "/proc/$pid/status"; }
echo "history: $portals portals in run $last (and as many in the run before it); server $base"
pages=("/" "/runs/$last" "/runs/$last?verdict=fail&sort=unit" "/runs/$last?q=k7-xa-05&sort=score&order=desc"
    "/api/v1/runs/$last/portals?per_page=50" "/api/v1/runs/$last/portals?page=100&per_page=100"
    "/portal?url=$enc" "/api/v1/portal?url=$enc" "/rules/headers.csp?run=$last" "/rules")
curl -s -o /dev/null "$base/"  # warm-up: the first request opens the database's pages
before=$(rss)
printf '%-55s %9s %9s %9s %8s\n' page "median ms" "max ms" "bytes" "status"
for page in "${pages[@]}"; do
    times=()
    for _ in $(seq "$rounds"); do
        line=$(curl -s -o "$work/body" -D - "$base$page" | tr -d '\r')
        times+=("$(sed -n 's/^Server-Timing: app;dur=//Ip' <<<"$line")")
        status=$(head -n 1 <<<"$line" | cut -d' ' -f2)
    done
    read -r median max < <(printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)], a[NR] }')
    printf '%-55s %9s %9s %9s %8s\n' "${page:0:55}" "$median" "$max" "$(stat -c %s "$work/body")" "$status"
done
after=$(rss)
for _ in $(seq 5); do for page in "${pages[@]}"; do curl -s -o /dev/null "$base$page"; done; done
again=$(rss)
echo "RSS: ${before} KiB after warm-up, ${after} KiB after $((rounds * ${#pages[@]})) requests, ${again} KiB after $((5 * ${#pages[@]})) more"
t0=$(date +%s%N)
"$bin" report --db "$work/h.sqlite" --run "$last" --format html --out "$work/report" 2>/dev/null
t1=$(date +%s%N)
echo "baseline: report --format html of the same run: $(( (t1 - t0) / 1000000 )) ms, $(stat -c %s "$work"/report/*.html) bytes"
