#!/usr/bin/env python3
"""Whole `capm allocate` runs of several builds, interleaved: wall and CPU (user + sys of the child) seconds,
best and median of --repeats, with the date and load average, and a check that every build writes the same
report.

Usage: time_allocate.py --plan PLAN [--repeats 5] [--format table|json] [--args "--sweep A:B:N ..."]
                        NAME=CAPM_BINARY [NAME=CAPM_BINARY ...]
Example (issue 6's whole-run target, the generated 1000 segments x 50 moments x 10 pieces plan):
  generate_plan.py --segments 1000 --moments 50 --pieces 10 > /tmp/p1000.yaml
  time_allocate.py --plan /tmp/p1000.yaml old=/tmp/capm-main new=.build/release/capm
"""
import argparse, filecmp, json, os, resource, statistics, subprocess, sys, tempfile, time


def run(binary, plan, fmt, extra, out):
    cmd = [binary, "allocate", "--plan", plan, "--format", fmt, "--output", out, *extra]
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if p.returncode not in (0, 2, 3, 4):  # 2-4: report written, no optimum (infeasible, unbounded, not certified)
        sys.exit(f"{' '.join(cmd)}: {p.stderr.strip()}")
    return wall, (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--plan", required=True)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--format", default="table")
    ap.add_argument("--args", default="", help="extra capm allocate arguments, one string")
    ap.add_argument("builds", nargs="+", help="NAME=PATH")
    a = ap.parse_args()
    builds = [b.split("=", 1) for b in a.builds]
    extra = a.args.split()
    tmp = tempfile.mkdtemp(prefix="capm-time-")
    times = {name: ([], []) for name, _ in builds}
    print(f"{time.strftime('%Y-%m-%d %H:%M:%S %Z')}, load average {tuple(round(x, 2) for x in os.getloadavg())}, "
          f"plan {a.plan}, --format {a.format} {a.args}, {a.repeats} interleaved repeats")
    for _ in range(a.repeats):
        for name, path in builds:
            wall, cpu = run(path, a.plan, a.format, extra, os.path.join(tmp, f"{name}.out"))
            times[name][0].append(wall)
            times[name][1].append(cpu)
    print(f"load average after: {tuple(round(x, 2) for x in os.getloadavg())}")
    base = None
    for name, _ in builds:
        w, c = times[name]
        line = (f"{name:8s} wall best {min(w):.3f} median {statistics.median(w):.3f} s | "
                f"CPU best {min(c):.3f} median {statistics.median(c):.3f} s")
        if base is None:
            base = (min(w), min(c))
        else:
            line += f" | vs {builds[0][0]}: wall {min(w) / base[0]:.2f}, CPU {min(c) / base[1]:.2f}"
        print(line)
    outs = [os.path.join(tmp, f"{name}.out") for name, _ in builds]
    if a.format == "json":
        def strip(path):
            d = json.load(open(path))
            d.pop("solverSeconds", None)
            return d
        same = all(strip(o) == strip(outs[0]) for o in outs[1:])
    else:
        same = all(filecmp.cmp(o, outs[0], shallow=False) for o in outs[1:])
    print("reports identical" if same else "REPORTS DIFFER")
    sys.exit(0 if same else 1)


if __name__ == "__main__":
    main()
