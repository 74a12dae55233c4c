#!/usr/bin/env bash
# The content judgements on real material no one here wrote (Tests/Conformance: freshness.json, real .gov.vn
# pages with the newest publication a careful reader finds; spam.json, real betting spam and real lawful
# texts about gambling; footers.json, real portal footers and contact pages with their published items),
# each case naming its address. Prints freshness exactness, spam recall with false alarms on the lawful
# texts, and published-information items right.
# Usage: bash Benchmarks/content.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
swift build --build-tests >/dev/null 2>&1
swift test --skip-build --filter "ContentCorpusTests" 2>&1 | sed -n 's/^content-corpus: //p'
