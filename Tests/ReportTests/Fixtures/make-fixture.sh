#!/usr/bin/env bash
# Regenerates the small run directory the Report tests read (Tests/ReportTests/Fixtures/run-small/): the
# `capm run --output-dir` (issue 7) of a generated transaction and journey log with a plan derived from
# Examples/plan.yaml: customers.csv, segments.json, plan.json, allocation.json, sweep.json, journey.json,
# summary.txt, run.json.
#
# Tests/ReportTests/Fixtures/allocation-infeasible.json is the allocation.json of the same data run with the
# unchanged Examples/plan.yaml (`capm run` without --plan: infeasible for 300 customers, its awareness floor and
# retention share conflict); it is written too, to test the infeasible page.
#
#   Tests/ReportTests/Fixtures/make-fixture.sh [CUSTOMERS] [OUTDIR]
#
# Defaults: 300 customers, Tests/ReportTests/Fixtures/run-small. Needs `swift build` (uses .build/debug/capm unless
# CAPM is set) and python3 with PyYAML (to derive the plan). Run from anywhere.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
n="${1:-300}"
out="${2:-$here/run-small}"
capm="${CAPM:-$root/.build/debug/capm}"
[ -x "$capm" ] || { echo "make-fixture: $capm not found (swift build first, or set CAPM)" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"

"$capm" generate --customers "$n" --seed 3 --output "$work/tx.csv" --journey-output "$work/journey.csv" \
    --prospects "$n" > /dev/null

# The plan: the bundled example's moments, channels, templates and group constraints; its hand-written segments,
# prospect cells and the stage/ROI constraints sized for the example are dropped (the run's segments replace
# them). Budget scaled to the fixture's size.
python3 - "$root/Examples/plan.yaml" "$work/plan.json" "$n" <<'EOF'
import json, sys
src, dst, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
try:
    import yaml
except ImportError:
    sys.exit("make-fixture: PyYAML is needed to convert Examples/plan.yaml")
plan = yaml.safe_load(open(src).read())
plan["name"] = "Fixture run"
plan["segments"] = []
plan["cells"] = []
plan["budget"] = {"amount": 5.0 * n, "mode": "at_most"}
plan["constraints"] = [c for c in plan["constraints"] if "stage" not in c and "roi_floor" not in c]
for c in plan["constraints"]:
    if "max" in c:
        c["max"] = c["max"] * n / 76500.0
json.dump(plan, open(dst, "w"), indent=2, sort_keys=True)
open(dst, "a").write("\n")
EOF

# The run directory, exactly as `capm run` writes it.
"$capm" run --transactions "$work/tx.csv" --journey "$work/journey.csv" --plan "$work/plan.json" --k 4 --seed 3 \
    --output-dir "$work/run" > /dev/null
for f in customers.csv segments.json plan.json allocation.json sweep.json journey.json summary.txt run.json; do
    cp "$work/run/$f" "$out/$f"
done
if [ "$out" = "$here/run-small" ]; then
    (cd "$root" && "$capm" run --transactions "$work/tx.csv" --journey "$work/journey.csv" --k 4 --seed 3 \
        --output-dir "$work/infeasible" > /dev/null)
    cp "$work/infeasible/allocation.json" "$here/allocation-infeasible.json"
fi
echo "make-fixture: wrote $(ls "$out" | wc -l) files to $out ($(du -sk "$out" | cut -f1) KB)"
