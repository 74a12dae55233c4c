#!/usr/bin/env bash
# Precision and recall of the header rules over the conformance corpus (Tests/Conformance/headers.json: raw
# header lines from web-platform-tests, the RFCs and another scanner's test-suite, each labelled with what a
# browser makes of it). A failure is a positive: precision = failures found that are real, recall = real
# failures found; "exact code" counts cases whose result code matches too.
# Usage: bash Benchmarks/headers.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
swift build --build-tests >/dev/null 2>&1
swift test --skip-build --filter "HeaderConformanceTests/precisionRecall" 2>&1 | sed -n 's/^headers-corpus: //p'
