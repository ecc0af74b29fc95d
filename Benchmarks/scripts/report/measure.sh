#!/usr/bin/env bash
# Times `capm report` on a large run directory, interleaved with an anchor: pandas reading the same two
# columns of customers.csv and computing the same aggregates (log histogram, sorted cumulative sum for the
# Lorenz curve). Prints best and median wall seconds of each and the ratio.
#
#   Benchmarks/scripts/report/measure.sh [CUSTOMERS] [REPEATS]
#
# Defaults: 1,000,000 customers, 5 repeats. Builds the run directory once (in $WORK, default
# /tmp/capm-report-bench/N) with the release CLI: generate → clv → segment → allocate (+ sweep) → journey,
# joined into customers.csv by Tests/ReportTests/Fixtures/make-fixture.sh (the same steps as the test fixture).
# Needs `swift build -c release`, python3 with PyYAML, and for the anchor a Python with pandas
# ($PYTHON, default /work/venv-pipe/bin/python).
set -euo pipefail
root="$(cd "$(dirname "$0")/../../.." && pwd)"
n="${1:-1000000}"
repeats="${2:-5}"
work="${WORK:-/tmp/capm-report-bench/$n}"
capm="$root/.build/release/capm"
python="${PYTHON:-/work/venv-pipe/bin/python}"
[ -x "$capm" ] || { echo "measure: build the release CLI first (swift build -c release)" >&2; exit 1; }
if [ ! -f "$work/customers.csv" ]; then
    echo "measure: building a $n-customer run directory in $work"
    CAPM="$capm" "$root/Tests/ReportTests/Fixtures/make-fixture.sh" "$n" "$work"
fi
ls -la "$work"
now() { date +%s.%N; }
ours=()
anchor=()
ours_cpu=()
anchor_cpu=()
cpu() { awk '{printf "%.2f", $1 + $2}' "$1"; }   # user + sys seconds from /usr/bin/time -f "%U %S"
for ((i = 0; i < repeats; i++)); do
    t0=$(now); /usr/bin/time -f "%U %S" -o "$work/.cpu" "$capm" report --run "$work" --output "$work/report.html" > /dev/null; t1=$(now)
    ours+=("$(echo "$t1 - $t0" | bc -l)")
    ours_cpu+=("$(cpu "$work/.cpu")")
    if [ -x "$python" ]; then
        t0=$(now)
        /usr/bin/time -f "%U %S" -o "$work/.cpu" "$python" - "$work/customers.csv" <<'PY'
import sys, numpy as np, pandas as pd
d = pd.read_csv(sys.argv[1], usecols=["clv", "p_alive"], engine="c")
v = d["clv"].to_numpy()
pos = v[v > 0]
np.histogram(np.log10(pos), bins=40)
np.histogram(d["p_alive"].to_numpy(), bins=20, range=(0, 1))
c = np.cumsum(np.sort(v))
c[np.linspace(0, len(c) - 1, 201).astype(int)] / c[-1]
PY
        t1=$(now)
        anchor+=("$(echo "$t1 - $t0" | bc -l)")
        anchor_cpu+=("$(cpu "$work/.cpu")")
    fi
done
stats() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {printf "best %.3f s, median %.3f s", a[1], a[int((NR+1)/2)]}'; }
echo "capm report ($n customers): wall $(stats "${ours[@]}"); CPU (user+sys) $(stats "${ours_cpu[@]}")"
[ ${#anchor[@]} -gt 0 ] && echo "pandas anchor (read 2 columns + histogram + sort): wall $(stats "${anchor[@]}"); CPU $(stats "${anchor_cpu[@]}")"
echo "load: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
if [ ${#anchor[@]} -gt 0 ]; then
    best_ours=$(printf '%s\n' "${ours[@]}" | sort -g | head -1)
    best_anchor=$(printf '%s\n' "${anchor[@]}" | sort -g | head -1)
    echo "ratio (anchor best / ours best): $(echo "$best_anchor / $best_ours" | bc -l | cut -c1-5)x"
fi
echo "report size: $(wc -c < "$work/report.html") bytes; elements: $(grep -o '<[a-z]' "$work/report.html" | wc -l)"
