#!/usr/bin/env bash
# Benchmark of `portal-audit check` on the exemplary lab portal against the floor: one `curl -sI` of the
# same portal, measured in the same run (the machine is shared and noisy: only same-run ratios count).
# Prints wall time (median of N), TCP connections and TLS handshakes per check (from the JSON `cost`,
# cross-checked with nginx's access log and the kernel's TCP counters), and the ratio to the floor.
# Usage: bash Benchmarks/check.sh [N]   (default 20 rounds)
set -euo pipefail
rounds=${1:-20}
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
IFS=$'\t' read -r _ host https http _ _ < <(grep '^exemplary' "$lab/cases.tsv")
export PORTAL_AUDIT_LOOPBACK_ONLY=1
args=("https://$host:$https/" --http-port "$http" --resolve "$host:$https:127.0.0.1,[::1]" --resolve "$host:$http:127.0.0.1,[::1]"
      --ca-file "$lab/pki/ca.pem" --format json)

now() { date +%s%N; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
active_opens() { awk '/^Tcp:/ {n++; if (n==2) print $6}' /proc/net/snmp; }

"$bin" check "${args[@]}" >/dev/null   # warm-up (page cache, nginx workers)
curl -sI --resolve "$host:$https:127.0.0.1" --cacert "$lab/pki/ca.pem" "https://$host:$https/" >/dev/null

check_ms=(); curl_ms=()
log_before=$(wc -l <"$lab/access.log")
opens_before=$(active_opens)
for _ in $(seq 1 "$rounds"); do
    t0=$(now); "$bin" check "${args[@]}" >/tmp/pa-bench.json; t1=$(now)
    check_ms+=($(( (t1 - t0) / 1000 )))
done
opens_check=$(( $(active_opens) - opens_before ))
log_check=$(( $(wc -l <"$lab/access.log") - log_before ))
opens_before=$(active_opens)
for _ in $(seq 1 "$rounds"); do
    t0=$(now); curl -sI --resolve "$host:$https:127.0.0.1" --cacert "$lab/pki/ca.pem" "https://$host:$https/" >/dev/null; t1=$(now)
    curl_ms+=($(( (t1 - t0) / 1000 )))
done
opens_curl=$(( $(active_opens) - opens_before ))

read -r conns handshakes requests < <(python3 -c 'import json; c=json.load(open("/tmp/pa-bench.json"))["sites"][0]["cost"]; print(c["connections"], c["tls_handshakes"], c["requests"])')
check_med=$(printf '%s\n' "${check_ms[@]}" | median)
curl_med=$(printf '%s\n' "${curl_ms[@]}" | median)
printf 'rounds: %s, portal: %s (exemplary lab case)\n' "$rounds" "$host"
printf 'portal-audit check : median %8.1f ms wall (process start to exit)\n' "$(echo "$check_med / 1000" | bc -l)"
printf 'curl -sI (floor)   : median %8.1f ms wall\n' "$(echo "$curl_med / 1000" | bc -l)"
printf 'ratio check/floor  : %.1fx\n' "$(echo "$check_med / $curl_med" | bc -l)"
printf 'per check          : %s TCP connections, %s TLS handshakes, %s requests (JSON cost)\n' "$conns" "$handshakes" "$requests"
printf 'kernel TCP opens   : %.1f per check (client side; includes nothing else only on a quiet machine), %.1f per curl\n' \
    "$(echo "$opens_check / $rounds" | bc -l)" "$(echo "$opens_curl / $rounds" | bc -l)"
printf 'nginx HTTP requests: %.1f per check (handshake-only probes send none)\n' "$(echo "$log_check / $rounds" | bc -l)"
