#!/usr/bin/env bash
# Report benchmark: scans the 1,000-portal lab fleet once, then times `portal-audit report` of that run in
# each format (from history, no traffic) and prints wall time and file size. Targets (issue 7): HTML of a
# 1,000-portal run in under 5 s and under 20 MB. For the PDF it also prints the A4 pages: in all, of the body
# (before Phụ lục I) and of each appendix (issue 31: a 28-portal report in ≤ 12 pages of body, ≤ 25 in all).
# Usage: bash Benchmarks/report.sh [PORTALS]
set -euo pipefail
count=${1:-1000}
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
fleet_up "$count"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
export PORTAL_AUDIT_LOOPBACK_ONLY=1
"$bin" scan "$lab/fleet/inventory.yaml" --db "$work/h.sqlite" --ca-file "$lab/pki/ca.pem" 2>/dev/null || true
# A second run, so the report shows changes since the previous run.
"$bin" scan "$lab/fleet/inventory.yaml" --db "$work/h.sqlite" --ca-file "$lab/pki/ca.pem" 2>/dev/null || true
for format in html json csv md pdf; do
    if [ "$format" = pdf ] && ! command -v chromium >/dev/null; then echo "pdf : chromium not installed"; continue; fi
    t0=$(date +%s%N)
    "$bin" report --db "$work/h.sqlite" --format "$format" --out "$work/out" --unit "Sở Khoa học và Công nghệ tỉnh Thanh Hóa" --place "Thanh Hóa" 2>/dev/null
    t1=$(date +%s%N)
    file=$(ls "$work/out"/*."$format")
    printf '%-4s: %6.2f s, %7.2f MB  (%s portals)\n' "$format" "$(echo "($t1 - $t0) / 1000000000" | bc -l)" \
        "$(echo "$(stat -c %s "$file") / 1048576" | bc -l)" "$count"
    if [ "$format" = pdf ]; then
        pages=$(pdfinfo "$file" | awk '/^Pages:/ {print $2}')
        first=""; second=""
        for page in $(seq 1 "$pages"); do
            head=$(pdftotext -f "$page" -l "$page" "$file" - 2>/dev/null | head -12 || true)
            if [ -z "$first" ] && grep -qx "Phụ lục I" <<<"$head"; then first=$page; fi
            if [ -z "$second" ] && grep -qx "Phụ lục II" <<<"$head"; then second=$page; fi
        done
        echo "pdf : $pages A4 pages: body $((first - 1)), Phụ lục I $((second - first)), Phụ lục II $((pages - second + 1))"
    fi
done
