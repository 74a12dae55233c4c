#!/usr/bin/env bash
# Documents read for personal data, against their caps: for each lab portal that links a document (a PDF list,
# a "redacted" PDF, a scan, a spreadsheet, a DOCX of tax codes, a DOCX that inflates to 100 MiB, a 200 MB PDF),
# `check` with the default --documents, timed with its CPU and peak memory, beside the same portal with
# --documents 0 (same run, alternating): what a hostile document costs is bounded by its caps (10 MiB
# downloaded, 32 MiB inflated per part, pdftotext under prlimit), not by its size.
# Usage: bash Benchmarks/documents.sh
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
export PORTAL_AUDIT_LOOPBACK_ONLY=1
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
printf '%-15s %-10s %-12s %7s %7s %8s   %7s %7s %8s\n' portal format read wall cpu rss "wall0" "cpu0" "rss0"
for name in personal-pdf redacted-pdf scanned-pdf personal-xlsx trap-tax-doc doc-bomb huge-pdf; do
    IFS=$'\t' read -r _ host https http _ < <(grep -P "^$name\t" "$lab/cases.tsv")
    args=(check "https://$host:$https/" --http-port "$http" --resolve "$host:$https:127.0.0.1"
        --resolve "$host:$http:127.0.0.1" --ca-file "$ca" --format json --sample-pages 0)
    declare -A wall cpu rss
    for documents in 3 0; do
        /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$bin" "${args[@]}" --documents "$documents" \
            >"$work/$name-$documents.json" 2>/dev/null || true
        read -r w u s m < <(tail -n 1 "$work/time")
        wall[$documents]=$w
        cpu[$documents]=$(python3 -c "print(f'{$u + $s:.2f}')")
        rss[$documents]=$((m / 1024))
    done
    read -r format read_status < <(python3 - "$work/$name-3.json" <<'PY'
import json, sys
site = json.load(open(sys.argv[1]))["sites"][0]
docs = [d for d in site["observation"]["content"]["privacy"]["documents"] if "ke-hoach-12" not in d["url"]]
print(docs[0]["format"], docs[0]["read"]) if docs else print("-", "-")
PY
    )
    printf '%-15s %-10s %-12s %6ss %6ss %6sMB   %6ss %6ss %6sMB\n' "$name" "$format" "$read_status" \
        "${wall[3]}" "${cpu[3]}" "${rss[3]}" "${wall[0]}" "${cpu[0]}" "${rss[0]}"
done
