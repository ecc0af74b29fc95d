#!/usr/bin/env bash
# Renders a CAPM report in headless Chromium and checks the screenshot is not blank.
#
#   Tests/ReportTests/render-check.sh [REPORT.html]
#
# Without an argument, builds the report of the committed fixture run (Tests/ReportTests/Fixtures/run-small)
# with .build/debug/capm (or $CAPM). Skips (exit 0, with a message) when Chromium is not installed
# (Debian: apt-get install chromium). Needs python3 (standard library only: the PNG is decoded with zlib).
# Prints "render-check: N passed, M failed".
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
browser=""
for b in chromium chromium-browser google-chrome; do
    if command -v "$b" > /dev/null 2>&1; then browser="$b"; break; fi
done
if [ -z "$browser" ]; then
    echo "render-check: SKIPPED: no chromium on PATH (apt-get install chromium to run this check)"
    exit 0
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
report="${1:-}"
if [ -z "$report" ]; then
    capm="${CAPM:-$root/.build/debug/capm}"
    [ -x "$capm" ] || { echo "render-check: $capm not found (swift build first, or set CAPM)" >&2; exit 1; }
    report="$work/report.html"
    "$capm" report --run "$here/Fixtures/run-small" --output "$report" > /dev/null
fi
shot="$work/report.png"
# --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
timeout 120 "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1280,4000 \
    --screenshot="$shot" "file://$(cd "$(dirname "$report")" && pwd)/$(basename "$report")" > "$work/chromium.log" 2>&1 || {
    echo "render-check: chromium failed:"; tail -5 "$work/chromium.log"; echo "render-check: 0 passed, 1 failed"; exit 1; }
python3 - "$shot" <<'PY'
import struct, sys, zlib

def decode(path):
    """RGB(A) rows of an 8-bit non-interlaced PNG (what Chromium writes), standard library only."""
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, width = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and interlace == 0 and color in (2, 6), f"unsupported PNG (depth {depth}, color {color})"
            channels = 3 if color == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, prev, i = [], bytearray(stride), 0
    for _ in range(height):
        f = raw[i]; line = bytearray(raw[i + 1:i + 1 + stride]); i += 1 + stride
        for x in range(stride):
            a = line[x - channels] if x >= channels else 0
            b = prev[x]
            c = prev[x - channels] if x >= channels else 0
            if f == 1: line[x] = (line[x] + a) & 255
            elif f == 2: line[x] = (line[x] + b) & 255
            elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else (b if pb <= pc else c))) & 255
        rows.append(line); prev = line
    return width, height, channels, rows

w, h, ch, rows = decode(sys.argv[1])
ink = 0          # pixels that are not near-white
colour = 0       # clearly coloured pixels (chart marks, not grey text)
inked_rows = 0
for line in rows:
    row_ink = 0
    for x in range(0, len(line), ch):
        r, g, b = line[x], line[x + 1], line[x + 2]
        if min(r, g, b) < 235:
            row_ink += 1
            if max(r, g, b) - min(r, g, b) > 60: colour += 1
    ink += row_ink
    inked_rows += row_ink > 0
share = ink / (w * h)
checks = [
    ("screenshot is 1280 wide", w == 1280),
    ("non-white pixels > 2 % of the page", share > 0.02),
    ("coloured chart pixels > 20,000", colour > 20000),
    ("ink on more than 1,000 rows (content all down the page)", inked_rows > 1000),
]
passed = sum(ok for _, ok in checks)
for name, ok in checks: print(("ok   " if ok else "FAIL ") + name)
print(f"render-check: {w}x{h}, non-white {100 * share:.1f} %, coloured {colour}, inked rows {inked_rows}")
print(f"render-check: {passed} passed, {len(checks) - passed} failed")
sys.exit(0 if passed == len(checks) else 1)
PY
