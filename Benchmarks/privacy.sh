#!/usr/bin/env bash
# The personal-data judgement on material no one here wrote (Tests/Conformance/privacy.json: the layouts and
# headings of real published lists with fictional names and structurally valid synthetic numbers, and real
# public traps — tax codes, bank accounts, document numbers, statistics, office hotlines — each with its
# source). Prints precision and recall for identifiers, CMND numbers, phone lists and tables of people, and
# the traps flagged (the goal is none); then forms asking for personal data without a privacy link
# (Tests/Conformance/forms.json) and third-party trackers loaded before consent (Tests/Conformance/trackers.json),
# real markup labelled by hand, each with its source.
# Usage: bash Benchmarks/privacy.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
swift build --build-tests >/dev/null 2>&1
swift test --skip-build --filter "PrivacyCorpusTests|PrivacySignsCorpusTests" 2>&1 \
    | sed -n 's/^privacy-corpus: //p; s/^privacy-corpus-miss: /miss: /p; s/^forms-corpus: /forms: /p; s/^forms-corpus-miss: /forms miss: /p; s/^trackers-corpus: /trackers: /p; s/^trackers-corpus-miss: /trackers miss: /p'
