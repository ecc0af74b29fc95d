#!/usr/bin/env bash
# Regenerates the small run directory the Report tests read (Tests/ReportTests/Fixtures/run-small/), in the format
# of `capm run --output-dir` (issue 7): customers.csv, segments.json, allocation.json, sweep.json, plan.json,
# journey.json, summary.txt, run.json. Built with the existing commands, so every file is what the CLI writes.
#
#   Tests/ReportTests/Fixtures/make-fixture.sh [CUSTOMERS] [OUTDIR]
#
# Defaults: 300 customers, Tests/ReportTests/Fixtures/run-small. Needs `swift build` (uses .build/debug/capm unless
# CAPM is set) and python3 (only to join the per-customer CSVs into customers.csv).
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
"$capm" clv --transactions "$work/tx.csv" --spend gamma-gamma --horizon 52 --output "$work/pred.csv" \
    --format json > "$work/clv.json"
"$capm" segment --input "$work/pred.csv" --features clv,p_alive,frequency,recency --log1p clv,frequency \
    --k 4 --seed 3 --output "$work/seg.csv" --format json > "$out/segments.json"

# The plan: the bundled example's moments, channels, prospect cells, templates and constraints, with the
# segments from segments.json (ids segment-<index>). Budget scaled to the fixture's size.
python3 - "$root/Examples/plan.yaml" "$out/plan.json" "$n" <<'PY'
import json, re, sys
src, dst, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
text = open(src).read()
# Keep the example's moments, channels, templates and group constraints; drop its hand-written segments and
# prospect cells (segments come from segments.json) and the stage/ROI constraints sized for the example.
try:
    import yaml
    plan = yaml.safe_load(text)
except ImportError:
    sys.exit("make-fixture: PyYAML is needed to convert Examples/plan.yaml")
plan["name"] = "Fixture run"
plan["segments_from"] = "segments.json"
plan["segments"] = []
plan["cells"] = []
plan["budget"] = {"amount": 5.0 * n, "mode": "at_most"}
plan["constraints"] = [c for c in plan["constraints"] if "stage" not in c and "roi_floor" not in c]
for c in plan["constraints"]:
    if "max" in c:
        c["max"] = c["max"] * n / 76500.0
json.dump(plan, open(dst, "w"), indent=2, sort_keys=True)
open(dst, "a").write("\n")
PY
(cd "$out" && "$capm" allocate --plan plan.json --format json > allocation.json)
budget=$(python3 -c "import json;print(json.load(open('$out/plan.json'))['budget']['amount'])")
(cd "$out" && "$capm" allocate --plan plan.json --sweep "$(python3 -c "b=$budget;print(f'{0.25*b}:{2*b}:15')")" \
    --format json > sweep.json)
"$capm" journey --events "$work/journey.csv" --clv "$work/pred.csv" --segments "$work/seg.csv" --format json \
    > "$out/journey.json" 2> /dev/null
(cd "$out" && "$capm" allocate --plan plan.json --format table > summary.txt)

# customers.csv: the prediction columns, then segment and label (joined by customer id).
python3 - "$work/pred.csv" "$work/seg.csv" "$out/customers.csv" <<'PY'
import csv, sys
pred, seg, dst = sys.argv[1:4]
segs = {}
with open(seg) as f:
    for row in csv.DictReader(f):
        segs[row["customer_id"]] = (row["segment"], row.get("label", ""))
cols = ["customer_id", "frequency", "recency", "T", "monetary_value", "expected_purchases", "p_alive",
        "expected_spend", "clv"]
with open(pred) as f, open(dst, "w", newline="") as g:
    w = csv.writer(g, lineterminator="\n")
    w.writerow(cols + ["segment", "label"])
    for row in csv.DictReader(f):
        s, l = segs[row["customer_id"]]
        w.writerow([row[c] for c in cols] + [s, l])
PY
cat > "$out/run.json" <<JSON
{
  "fixture": "Tests/ReportTests/Fixtures/make-fixture.sh",
  "customers": $n,
  "seed": 3
}
JSON
echo "make-fixture: wrote $(ls "$out" | wc -l) files to $out ($(du -sk "$out" | cut -f1) KB)"
