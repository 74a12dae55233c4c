#!/usr/bin/env bash
# Parser benchmark: every parser of site content on adversarial input of its largest allowed size
# (2 MiB bodies, 512 KiB page text, 256 KiB heads, 100 header lines of 8 KiB), best of five, in ms and
# ms per MiB, against decoding the same bytes as UTF-8 in the same run. The budget is 50 ms per MiB.
#   bash Benchmarks/parsers.sh [PARSER]     (one parser only, e.g. spam, to profile it)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
swift build -c release --package-path "$root/Benchmarks/Parsers" --scratch-path "$root/.build-bench" 2>&1 | grep -E "error|warning:|Build complete" >&2
"$(swift build -c release --package-path "$root/Benchmarks/Parsers" --scratch-path "$root/.build-bench" --show-bin-path)/parser-bench" "$@"
