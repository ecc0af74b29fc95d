#!/usr/bin/env python3
"""Allocation LPs side by side: capm's own dual simplex vs CLP (Debian coinor-clp, /usr/bin/clp) vs HiGHS
(highspy), on the same LP written by `capm allocate --write-mps FILE`.

For each case: `capm allocate --format json --write-mps F` once to write the LP; then, interleaved and repeated
(--repeats, default 3; the machine is shared, so the best of the repeats is reported):
  - capm:  `capm allocate --format json` (whole process wall time, and its LP solve time "solverSeconds"),
  - CLP:   `clp F [-max] -dualsimplex` (its own "iterations time" line = the solve incl. presolve, and the
           whole process wall time incl. the MPS read). CLP 1.17 ignores OBJSENSE in free MPS, so a maximization
           is passed as `-max`.
  - HiGHS: highspy, threads=1, dual simplex (`run()` time; the MPS read is not counted). Models with more than
           --highs-simplex-columns columns use IPM + crossover instead (HiGHS' simplex does not finish the
           1000x50x10 LP in minutes, see issue 5), or are skipped with --skip-highs-large.
Objectives must agree to 1e-7 relative. Ratios: capm solve / CLP solve, capm solve / HiGHS, and the whole
capm process against CLP's whole process (which only reads the MPS and solves: no plan, no report).

Cases: the hand example of issue 6 at 100k, Examples/plan.yaml (max-uplift 250k), Examples/plan-channels.yaml
(the dozen-channel plan, 250k), generated plans 10x20x5 and 100x50x10 with share rows, 1000x50x10 without and
with share rows.

Usage: compare_clp.py [--capm .build/release/capm] [--workdir /tmp/capm-alloc-clp] [--repeats 3] [--skip-large]
"""
import argparse, json, os, re, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
sys.path.insert(0, HERE)
from compare_highs import HAND  # noqa: E402  (the hand example's plan text)


def run_capm(capm, plan, args, mps=None):
    cmd = [capm, "allocate", "--plan", plan, "--format", "json", *args] + (["--write-mps", mps] if mps else [])
    t0 = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    wall = time.perf_counter() - t0
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)}: {p.stderr.strip()}")
    d = json.loads(p.stdout)
    return float(d["objective"]), d["solverSeconds"], wall, d


def run_clp(mps, maximize, seconds):
    cmd = ["clp", mps] + (["-max"] if maximize else []) + ["-seconds", str(seconds), "-dualsimplex"]
    t0 = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    m = re.search(r"Optimal objective\s+(\S+)\s+-\s+(\d+) iterations time ([0-9.]+)", p.stdout)
    if not m:
        status = "infeasible" if "nfeasible" in p.stdout else ("time limit" if "Stopped on time" in p.stdout or "topped" in p.stdout else "failed")
        return status, float("nan"), float("nan"), wall, 0
    return "optimal", float(m.group(1)), float(m.group(3)), wall, int(m.group(2))


def run_highs(mps, ipm, time_limit):
    import highspy
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    h.setOptionValue("solver", "ipm" if ipm else "simplex")
    if ipm:
        h.setOptionValue("run_crossover", "on")
    h.setOptionValue("time_limit", float(time_limit))
    h.readModel(mps)
    t0 = time.perf_counter()
    h.run()
    t = time.perf_counter() - t0
    return h.modelStatusToString(h.getModelStatus()), h.getInfo().objective_function_value, t


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--capm", default=os.path.join(ROOT, ".build/release/capm"))
    ap.add_argument("--workdir", default="/tmp/capm-alloc-clp")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--skip-large", action="store_true")
    ap.add_argument("--skip-highs-large", action="store_true")
    ap.add_argument("--highs-simplex-columns", type=int, default=100_000)
    ap.add_argument("--highs-time-limit", type=float, default=300)
    ap.add_argument("--clp-seconds", type=float, default=600, help="CLP's own time limit (-seconds)")
    ap.add_argument("--only", default="", help="run only the cases whose name contains this text")
    a = ap.parse_args()
    os.makedirs(a.workdir, exist_ok=True)
    gen = os.path.join(HERE, "generate_plan.py")
    hand = os.path.join(a.workdir, "hand-100k.yaml")
    with open(hand, "w") as f:
        f.write(HAND.format(budget=100000, constraints="[]"))
    cases = [("hand-100k", hand, [])]
    for name in ["plan.yaml", "plan-channels.yaml"]:
        path = os.path.join(ROOT, "Examples", name)
        if os.path.exists(path):
            cases.append((f"example-{name[:-5]}-250k", path, ["--budget", "250000"]))
    shapes = [(10, 20, 5, True), (100, 50, 10, True)]
    if not a.skip_large:
        shapes += [(1000, 50, 10, False), (1000, 50, 10, True)]
    for s, m, k, shares in shapes:
        name = f"gen-{s}x{m}x{k}" + ("-shares" if shares else "")
        path = os.path.join(a.workdir, f"{name}.yaml")
        with open(path, "w") as f:
            subprocess.run([sys.executable, gen, "--segments", str(s), "--moments", str(m), "--pieces", str(k)]
                           + (["--shares"] if shares else []), stdout=f, check=True)
        cases.append((name, path, []))
    failures = 0
    results = []
    print(f"{'case':28s} {'LP':>15s} | {'capm solve':>10s} {'capm wall':>9s} | {'CLP solve':>9s} {'CLP wall':>8s} | "
          f"{'HiGHS':>8s} | solve/CLP wall/CLP solve/HiGHS | agreement")
    cases = [c for c in cases if a.only in c[0]]
    for name, plan, args in cases:
        mps = os.path.join(a.workdir, f"{name}.mps")
        _, _, _, first = run_capm(a.capm, plan, args, mps)
        maximize = "OBJSENSE" in open(mps).read(200) and "MAX" in open(mps).read(200)
        large = first["lpColumns"] > a.highs_simplex_columns
        best = dict(capm_solve=1e99, capm_wall=1e99, clp_solve=1e99, clp_wall=1e99, highs=1e99)
        objs = {}
        for _ in range(a.repeats):
            obj, solve, wall, d = run_capm(a.capm, plan, args)
            objs["capm"] = obj
            best["capm_solve"] = min(best["capm_solve"], solve)
            best["capm_wall"] = min(best["capm_wall"], wall)
            cs, cobj, csolve, cwall, _ = run_clp(mps, maximize, a.clp_seconds)
            objs["clp"] = cobj
            objs["clp_status"] = cs
            best["clp_solve"] = min(best["clp_solve"], csolve)
            best["clp_wall"] = min(best["clp_wall"], cwall)
            if not (large and a.skip_highs_large):
                hs, hobj, ht = run_highs(mps, large, a.highs_time_limit)
                objs["highs"] = hobj if hs == "Optimal" else float("nan")
                best["highs"] = min(best["highs"], ht)
        ref = objs["clp"]
        rel_clp = abs(objs["capm"] - ref) / max(1.0, abs(ref))
        rel_highs = abs(objs["capm"] - objs["highs"]) / max(1.0, abs(objs["highs"])) if "highs" in objs else float("nan")
        # A CLP run stopped by its time limit is reported, not counted as a disagreement.
        ok = (rel_clp <= 1e-7 or objs["clp_status"] == "time limit") and (rel_highs <= 1e-7 or "highs" not in objs)
        if objs["clp_status"] != "optimal":
            print(f"  CLP: {objs['clp_status']} after {best['clp_wall']:.1f} s wall", flush=True)
        failures += 0 if ok else 1
        r = dict(case=name, clp_status=objs["clp_status"], rows=first["lpRows"], columns=first["lpColumns"], **best, capm_objective=objs["capm"],
                 clp_objective=objs["clp"], highs_objective=objs.get("highs"), rel_clp=rel_clp, rel_highs=rel_highs,
                 highs_method=("ipm+crossover" if large else "simplex"), ok=ok)
        results.append(r)
        # CLP reports its time to 0.001 s; below that the ratio is not meaningful.
        ratio = best["capm_solve"] / max(best["clp_solve"], 0.001) if best["clp_solve"] < 1e99 else float("nan")
        hr = best["capm_solve"] / best["highs"] if best["highs"] < 1e99 else float("nan")
        clp_solve = f"{best['clp_solve']:9.3f}" if best["clp_solve"] < 1e99 else f"{objs['clp_status']:>9s}"
        print(f"{name:28s} {first['lpRows']:6d}x{first['lpColumns']:<8d} | "
              f"{best['capm_solve']:10.4f} {best['capm_wall']:9.3f} | {clp_solve} {best['clp_wall']:8.3f} | "
              f"{best['highs'] if best['highs'] < 1e99 else float('nan'):8.4f} | {ratio:8.2f} {best['capm_wall'] / best['clp_wall']:8.2f} "
              f"{hr:11.2f} | rel CLP {rel_clp:.1e} HiGHS {rel_highs:.1e} {'OK' if ok else 'FAIL'}", flush=True)
    with open(os.path.join(a.workdir, "results.json"), "w") as f:
        json.dump(results, f, indent=1)
    print(f"{len(results)} cases, {failures} failures")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
