#!/usr/bin/env bash
# The README's two commands, timed as a newcomer meets them: each from its own fresh clone of this
# repository's HEAD (no .build, nothing generated), on this machine with the apt packages already present.
#   1. bash scripts/demo   — until its first line of output (the build before it is the wait), and to its end
#   2. bash .ci/run        — to its end (the test command and nothing weaker)
# Prints each figure in seconds and the date, for the README. Only loopback traffic (the lab, PostgreSQL).
# Usage: bash Benchmarks/setup.sh [demo|tests|both]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
which=${1:-both}
work=$(mktemp -d /tmp/portal-audit-setup.XXXXXX)
trap 'rm -rf "$work"' EXIT
bash "$root/scripts/lab" stop >/dev/null 2>&1 || true
bash "$root/scripts/pg" stop >/dev/null 2>&1 || true

clone() { git clone -q "$root" "$work/$1"; }

if [ "$which" = demo ] || [ "$which" = both ]; then
    clone demo
    start=$(date +%s.%N)
    first=""
    # The first line the demo prints on stdout is the header of its table: the wait is over then.
    while IFS= read -r line; do
        [ -z "$first" ] && first=$(date +%s.%N)
    done < <(cd "$work/demo" && bash scripts/demo 2>/dev/null)
    end=$(date +%s.%N)
    (cd "$work/demo" && bash scripts/lab stop >/dev/null 2>&1 || true)
    printf 'setup: demo from a fresh clone: first line after %.0f s, done after %.0f s (%s)\n' \
        "$(echo "$first - $start" | bc)" "$(echo "$end - $start" | bc)" "$(date -u +%Y-%m-%d)"
fi
if [ "$which" = tests ] || [ "$which" = both ]; then
    clone tests
    start=$(date +%s.%N)
    status=0
    (cd "$work/tests" && CI=true bash .ci/run >"$work/tests.log" 2>&1) || status=$?
    end=$(date +%s.%N)
    printf 'setup: bash .ci/run from a fresh clone: exit %d after %.0f s (%s)\n' \
        "$status" "$(echo "$end - $start" | bc)" "$(date -u +%Y-%m-%d)"
    cp "$work/tests.log" /tmp/portal-audit-setup-tests.log
    [ "$status" = 0 ] || echo "setup: the CI log is in /tmp/portal-audit-setup-tests.log" >&2
    grep -A10 "the ten slowest tests" "$work/tests.log" || true
fi
