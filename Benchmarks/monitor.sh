#!/usr/bin/env bash
# Alert volume: the monitor over PORTALS portals (default 2,000) shared by 10 servers on loopback (127.0.1.1 …
# 127.0.10.1, each its own /24, the portals of 20 units spread over them), with a canary; one server is taken
# down and brought back, then the monitor's whole network is cut for CUT seconds (every server and the
# canary stop) and comes back. Prints the alerts the webhook received by kind, the e-mails the SMTP sink
# received (the province's and the units'), and the monitor's CPU and peak memory. Goal (issue 33): at most 2
# alerts for the shared outage (open, close), 1 for the network cut.
# With a digest every DIGEST_SECONDS (default 120), it also counts the digests each recipient received.
# Usage: bash Benchmarks/monitor.sh [PORTALS] [UPTIME_EVERY_SECONDS] [CUT_SECONDS] [DIGEST_SECONDS]
set -euo pipefail
count=${1:-2000}; every=${2:-20}; cut=${3:-60}; digest_every=${4:-120}
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
export PORTAL_AUDIT_LOOPBACK_ONLY=1
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
pki=$lab/pki
sink() { python3 "$root/scripts/lab-sinks.py" "$@" >/dev/null 2>&1 & echo $!; }
declare -A servers
serve() { servers[$1]=$(sink portals "127.0.$1.1" 18520 "$pki/monitor-portal.pem" "$pki/monitor-portal.key"); pids+=("${servers[$1]}"); }
for n in $(seq 1 10); do serve "$n"; done
canary=$(sink portals 127.0.0.1 18521 "$pki/monitor-portal.pem" "$pki/monitor-portal.key"); pids+=("$canary")
pids+=("$(sink webhook 18522 "$work/hook.log")")
pids+=("$(sink smtp 18523 "$pki/smtp-sink.pem" "$pki/smtp-sink.key" "$work/mail.log" "$work/Maildir")")
python3 - "$count" "$work/inventory.yaml" <<'PY'
import sys
count, out = int(sys.argv[1]), sys.argv[2]
lines = ["portals:"]
for i in range(count):
    server, unit = i % 10 + 1, i % 20 + 1
    lines.append(f'  - {{ url: "https://xa-b{i:04d}.bench.gov.vn:18520/", name: "Xã B{i:04d}", '
                 f'commune: "Xã Đơn Vị {unit}", address: 127.0.{server}.1, alerts_to: "don-vi-{unit}@bench.portal-audit.lab" }}')
open(out, "w").write("\n".join(lines) + "\n")
PY
cat >"$work/alerts.yaml" <<EOF
webhook: { url: "http://127.0.0.1:18522/hook" }
email: { smtp: "smtp://mail.portal-audit.lab:18523", from: "giamsat@portal-audit.lab", to: ["attt@portal-audit.lab"] }
canaries: ["https://127.0.0.1:18521/"]
retry_seconds: 5
digest: { every: ${digest_every}s }
EOF
sleep 1
# A finished scan of this inventory in history first (what the digests report on): the monitor's next full
# scan is then a day away, and this measures sampling, alerts and digests alone.
say() { echo "$(date -u +%T) $*"; }
say "first scan of the $count portals"
"$bin" scan "$work/inventory.yaml" --db "$work/m.sqlite" --ca-file "$ca" --sample-pages 0 --documents 0 \
    --concurrency 32 >/dev/null 2>&1 || true
"$bin" monitor "$work/inventory.yaml" --db "$work/m.sqlite" --alerts "$work/alerts.yaml" --ca-file "$ca" \
    --uptime-every "${every}s" --scan-every 24h --resolve mail.portal-audit.lab:18523:127.0.0.1 --timeout 5 \
    >"$work/monitor.log" 2>&1 &
monitor=$!
pids+=("$monitor")
cpu() { awk '{print $14 + $15}' "/proc/$monitor/stat"; }
tick=$(getconf CLK_TCK)
say "monitor started: $count portals on 10 servers, a sample every ${every}s"
sleep $((every * 3))
say "server 127.0.3.1 ($((count / 10)) portals) down"
kill -9 "${servers[3]}"
sleep $((every * 4))
serve 3
say "server 127.0.3.1 back"
sleep $((every * 3))
say "the monitor's network cut for ${cut}s (every server and the canary)"
for n in $(seq 1 10); do kill -9 "${servers[$n]}"; done
kill -9 "$canary"
sleep "$cut"
for n in $(seq 1 10); do serve "$n"; done
canary=$(sink portals 127.0.0.1 18521 "$pki/monitor-portal.pem" "$pki/monitor-portal.key"); pids+=("$canary")
say "network back"
sleep $((every * 4))
used=$(cpu)
peak=$(awk '/VmHWM/ {print $2}' "/proc/$monitor/status")
kill -TERM "$monitor"; wait "$monitor" 2>/dev/null || true
python3 - "$work/hook.log" "$work/Maildir" "$count" "$used" "$tick" "$peak" "$((every * 14 + cut))" "$digest_every" <<'PY'
import collections, json, os, sys
hook, maildir, count, used, tick, peak, wall = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7])
digest_every = int(sys.argv[8])
events = collections.Counter(json.loads(l)["event"] for l in open(hook) if l.strip()) if os.path.exists(hook) else {}
mails = collections.Counter()
digests = collections.Counter()
for name in os.listdir(os.path.join(maildir, "new")) if os.path.isdir(maildir) else []:
    text = open(os.path.join(maildir, "new", name), encoding="utf-8", errors="replace").read()
    first = text.split("\n", 1)[0]
    if "X-Portal-Audit-Event: digest" in text:
        digests[first] += 1
        continue
    mails["province" if "attt@" in first else "units"] += 1
print("webhook alerts     : " + (", ".join(f"{k} {v}" for k, v in sorted(events.items())) or "none"))
print(f"shared outage      : {events.get('incident-open', 0)} open + {events.get('incident-closed', 0)} closed "
      f"+ {events.get('incident-grew', 0)} grew; {events.get('down', 0)} single down, {events.get('up', 0)} single up "
      f"(goal: at most 2 alerts)")
print(f"network cut        : {events.get('monitor-cut-off', 0)} monitor-cut-off (goal: 1)")
print(f"e-mails (alerts)   : province {mails['province']}, units {mails['units']} (each unit only its own portals)")
print(f"monitor            : {count} portals, CPU {used / tick:.1f} s over ~{wall} s ({100 * used / tick / wall:.1f} % of one core), "
      f"peak memory {peak / 1024:.0f} MB")
periods = wall // digest_every
print(f"digests            : {sum(digests.values())} to {len(digests)} recipients (province and 20 units) over ~{periods} "
      f"periods of {digest_every} s: {min(digests.values(), default=0)}–{max(digests.values(), default=0)} each "
      f"(goal: one per recipient per period)")
PY
