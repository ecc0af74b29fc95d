#!/bin/sh
# Generates the transaction logs the SegmentRunSteps benchmark suite and compare_python.py read, once, into a
# cache directory: $CAPM_BENCH_DIR (default /tmp/capm-bench)/tx-<size>.csv for each size given
# (100k, 1m, 5m; default: all three). Existing files are kept. Run from the repository root:
#   swift build -c release --product capm
#   Benchmarks/scripts/pipeline/make_data.sh 100k 1m 5m
# Sizes on disk: 100k 6.9 MB, 1m 72 MB, 5m 360 MB. Seed 11 for every size (the logs are simulated with
# `capm generate`'s default BG/NBD + Gamma-Gamma parameters, so the fits have a known answer).
set -eu
dir="${CAPM_BENCH_DIR:-/tmp/capm-bench}"
capm="${CAPM:-.build/release/capm}"
if [ ! -x "$capm" ]; then
    echo "make_data.sh: $capm not found; run 'swift build -c release --product capm' in the repository root" \
         "or set CAPM=/path/to/capm" >&2
    exit 1
fi
mkdir -p "$dir"
[ "$#" -eq 0 ] && set -- 100k 1m 5m
for size in "$@"; do
    case "$size" in
        100k) n=100000 ;;
        1m) n=1000000 ;;
        5m) n=5000000 ;;
        *) echo "make_data.sh: unknown size '$size' (100k, 1m or 5m)" >&2; exit 1 ;;
    esac
    file="$dir/tx-$size.csv"
    if [ -f "$file" ]; then
        echo "$file exists"
    else
        "$capm" generate --customers "$n" --seed 11 --output "$file"
        echo "$file written"
    fi
done
