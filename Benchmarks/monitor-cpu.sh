#!/usr/bin/env bash
# Monitor benchmark: `portal-audit monitor` sampling the 1,000-portal lab fleet every minute for MINUTES
# (default 30), printing its CPU use (% of one core) and resident memory each minute, then the average.
# The nightly scan is kept out of the measurement: a scan is run first, so the schedule's next one is
# 24 h away (the monitor resumes its schedule from history). Target (issue 8): CPU < 10% of one core on
# average, memory flat.
# Usage: bash Benchmarks/monitor-cpu.sh [MINUTES] [PORTALS]
set -euo pipefail
minutes=${1:-30}; count=${2:-1000}
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
fleet_up "$count"
work=$(mktemp -d); trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
export PORTAL_AUDIT_LOOPBACK_ONLY=1
"$bin" scan "$lab/fleet/inventory.yaml" --db "$work/m.sqlite" --ca-file "$lab/pki/ca.pem" >/dev/null 2>&1 || true
"$bin" monitor "$lab/fleet/inventory.yaml" --db "$work/m.sqlite" --ca-file "$lab/pki/ca.pem" --uptime-every 1m \
    --scan-every 24h --metrics-file "$work/metrics.prom" >"$work/monitor.log" 2>&1 &
pid=$!
ticks=$(getconf CLK_TCK)
cpu() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
rss() { awk '/VmRSS/ {print $2}' "/proc/$pid/status"; }
start_cpu=$(cpu); start=$(date +%s)
printf 'minute  cpu%%(1 core)  rss_MB\n'
previous=$start_cpu
for m in $(seq 1 "$minutes"); do
    sleep 60
    now=$(cpu)
    printf '%6d  %11.2f  %6.1f\n' "$m" "$(echo "($now - $previous) * 100 / $ticks / 60" | bc -l)" "$(echo "$(rss) / 1024" | bc -l)"
    previous=$now
done
elapsed=$(( $(date +%s) - start ))
samples=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from uptimeSample').fetchone()[0])" "$work/m.sqlite")
printf 'average CPU: %.2f%% of one core over %d s; %s samples (%.1f per portal-minute)\n' \
    "$(echo "($(cpu) - $start_cpu) * 100 / $ticks / $elapsed" | bc -l)" "$elapsed" "$samples" \
    "$(echo "$samples / $count / ($elapsed / 60)" | bc -l)"
