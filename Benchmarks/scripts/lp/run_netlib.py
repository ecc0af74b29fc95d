#!/usr/bin/env python3
"""Solve every Netlib problem in optimal.csv with `capm solve --format json` and check the objective.

Usage: run_netlib.py [--capm PATH] [--netlib DIR] [--timeout S] [names...]
Pass criterion (README of the Netlib set): |obj - opt| <= 1e-6 * max(1, |opt|), with opt the value that
includes the objective constant (capm reports c'x + c0, the HiGHS/CLP convention).
"""
import argparse, csv, json, os, subprocess, sys, time

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--capm", default=".build/release/capm")
    ap.add_argument("--netlib", default="/work/shared/lp/netlib")
    ap.add_argument("--timeout", type=float, default=120)
    ap.add_argument("names", nargs="*")
    args = ap.parse_args()
    rows = list(csv.DictReader(open(os.path.join(args.netlib, "optimal.csv"))))
    passed = 0
    total = 0
    for r in rows:
        name = r["name"]
        if args.names and name not in args.names:
            continue
        total += 1
        opt = float(r["optimal_with_constant"])
        path = os.path.join(args.netlib, name + ".mps")
        t0 = time.time()
        try:
            p = subprocess.run([args.capm, "solve", path, "--format", "json"], capture_output=True, text=True,
                               timeout=args.timeout)
            wall = time.time() - t0
            if p.returncode != 0:
                print(f"{name:10s} ERROR {p.stderr.strip()}")
                continue
            res = json.loads(p.stdout)
        except subprocess.TimeoutExpired:
            print(f"{name:10s} TIMEOUT after {args.timeout}s")
            continue
        obj = res["objective"]
        ok = res["status"] == "optimal" and obj is not None and abs(obj - opt) <= 1e-6 * max(1, abs(opt))
        passed += ok
        rel = abs(obj - opt) / max(1, abs(opt)) if obj is not None else float("nan")
        print(f"{name:10s} {'PASS' if ok else 'FAIL'} {res['status']:12s} obj={obj!r:24} opt={opt:<22.12g} "
              f"rel={rel:.1e} it={res['iterations']:6d} t={res['seconds']:.3f}s", flush=True)
    print(f"{passed}/{total} passed")

if __name__ == "__main__":
    main()
