#!/usr/bin/env bash
# Agreement with testssl.sh: for each lab TLS case, the protocol versions and the cipher suites per version
# that `portal-audit check` reports (every accepted suite, by removal) against what testssl.sh (Debian's
# package, bash sockets) reports with -p -E, and the wall time of each. Prints one line per case.
# Usage: bash Benchmarks/agreement.sh [CASE...]   (default: every case whose TLS differs from the exemplary one)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
command -v testssl >/dev/null || { apt-get install -y -qq testssl.sh >/dev/null; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cases=("$@")
[ ${#cases[@]} -eq 0 ] && cases=(exemplary legacy-tls tls10-only tls11-only 3des-only 3des-beside-gcm rc4-sha rc4-md5 \
    sslv3-only sslv3-beside-tls12 null-cipher dh-1024 static-rsa-only cbc-only)
export PORTAL_AUDIT_LOOPBACK_ONLY=1
for name in "${cases[@]}"; do
    line=$(grep -P "^$name\t" "$lab/cases.tsv")
    host=$(cut -f2 <<<"$line"); port=$(cut -f3 <<<"$line")
    t0=$(date +%s%N)
    "$bin" check "https://$host:$port/" --resolve "$host:$port:127.0.0.1" --ca-file "$ca" --format json \
        >"$work/$name.pa.json" 2>/dev/null || true
    t1=$(date +%s%N)
    testssl --quiet --color 0 --warnings off --ip 127.0.0.1 -p -E --jsonfile "$work/$name.ts.json" \
        "https://$host:$port/" >/dev/null 2>&1 || true
    t2=$(date +%s%N)
    python3 - "$name" "$work/$name.pa.json" "$work/$name.ts.json" "$t0" "$t1" "$t2" <<'PY'
import json, re, sys
name, pa_file, ts_file, t0, t1, t2 = sys.argv[1:]
site = json.load(open(pa_file))["sites"][0]
tls = site["observation"].get("tls") or {}
pa_versions = {v for v, s in (tls.get("versions") or {}).items() if s == "accepted"}
pa_suites = {(s["version"], s["name"]) for s in tls.get("suites") or []}
names = {"ssl3": "SSLv3", "tls1": "TLSv1.0", "tls1_1": "TLSv1.1", "tls1_2": "TLSv1.2", "tls1_3": "TLSv1.3"}
ts_versions, ts_suites = set(), set()
for item in json.load(open(ts_file)):
    ident, finding = item.get("id", ""), item.get("finding", "")
    proto = {"SSLv3": "SSLv3", "TLS1": "TLSv1.0", "TLS1_1": "TLSv1.1", "TLS1_2": "TLSv1.2", "TLS1_3": "TLSv1.3"}.get(ident)
    if proto and finding.startswith("offered"):
        ts_versions.add(proto)
    m = re.match(r"cipher-(ssl3|tls1_3|tls1_2|tls1_1|tls1)_x([0-9a-f]+)$", ident)
    if m:
        iana = finding.split()[-1]
        ts_suites.add((names[m.group(1)], iana))
same_v = pa_versions == ts_versions
same_s = pa_suites == ts_suites
pa_ms, ts_ms = (int(t1) - int(t0)) / 1e6, (int(t2) - int(t1)) / 1e6
detail = ""
if not same_s:
    detail = f" only portal-audit: {sorted(pa_suites - ts_suites)[:4]}; only testssl.sh: {sorted(ts_suites - pa_suites)[:4]}"
if not same_v:
    detail += f" versions portal-audit {sorted(pa_versions)} testssl.sh {sorted(ts_versions)}"
print(f"{name:20} versions {'agree' if same_v else 'DIFFER'}  suites {'agree' if same_s else 'DIFFER'} ({len(pa_suites)})"
      f"  portal-audit {pa_ms:6.0f} ms  testssl.sh {ts_ms / 1000:5.1f} s  ({ts_ms / pa_ms:.0f}x){detail}")
PY
done
