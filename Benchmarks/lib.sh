# Shared by the benchmark scripts (sourced, after their `set -euo pipefail`): installs what the lab needs,
# builds the release binary ($bin) and starts the lab ($lab, its CA $ca), from the repository root.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
bash scripts/setup
swift build -c release --product portal-audit 2>&1 | grep -E "error|warning:" >&2 || true
bin=$(swift build -c release --show-bin-path)/portal-audit
bash scripts/lab start >/dev/null
lab=$(bash scripts/lab dir)
ca=$lab/pki/ca.pem

# fleet_up N: the lab fleet of N portals ($fleet: its folder).
fleet_up() {
    bash scripts/lab fleet "$1" >/dev/null
    fleet=$lab/fleet
}

# fast_inventory OUT [ADDRESS]: the fleet's inventory without its deliberately slow portals (measured
# separately), every portal pinned to ADDRESS when given.
fast_inventory() {
    python3 - "$fleet" "$1" "${2:-}" <<'PY'
import sys
fleet, out, address = sys.argv[1:]
expected = [l.rstrip("\n").split("\t") for l in open(f"{fleet}/expected.tsv")]
keep = {u for u, case, _ in expected if case != "slow"}
text = open(f"{fleet}/inventory.yaml").read()
if address:
    text = text.replace('address: "127.0.0.1,::1"', f'address: "{address}"')
parts = text.split("\n  - url: ")
kept = [parts[0]] + [p for p in parts[1:] if p.split("\n")[0] in keep]
open(out, "w").write("\n  - url: ".join(kept) + ("" if kept[-1].endswith("\n") else "\n"))
PY
}

# fleet_urls OUT ADDRESS: curl arguments (`--resolve` to ADDRESS, then the URL) for the same portals.
fleet_urls() {
    python3 - "$fleet" "$1" "$2" <<'PY'
import sys
fleet, out, address = sys.argv[1:]
with open(out, "w") as urls:
    for u, case, _ in (l.rstrip("\n").split("\t") for l in open(f"{fleet}/expected.tsv")):
        if case != "slow":
            host, port = u.split("/")[2].split(":")
            urls.write(f"--resolve {host}:{port}:{address} {u}\n")
PY
}
