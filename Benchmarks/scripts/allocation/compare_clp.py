#!/usr/bin/env python3
"""Allocation LPs side by side: capm's own dual simplex vs CLP (Debian coinor-clp, /usr/bin/clp) vs HiGHS
(highspy), on the same LP written by `capm allocate --write-mps FILE`.

For each case: `capm allocate --format json --write-mps F` once to write the LP; then, interleaved and repeated
(--repeats, default 3; the machine is shared, so the best of the repeats is reported):
  - capm:  `capm allocate --format json` (whole process wall and CPU time) and `capm solve F --free` (the LP
           solve's CPU time, `cpu_seconds`),
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

Since 2026-11-23 capm's LP solve time is the process CPU time of `capm solve F --free` on the same MPS
(`cpu_seconds`), the same measure as CLP's CoinCpuTime; before, capm's wall-clock `solverSeconds` was set against
CLP's CPU time, which on the loaded machine made capm look up to 2x slower than it was. The whole `capm allocate`
is reported as wall and CPU (user + sys of the child) seconds; with --old-capm a previous build runs interleaved.
Best and median of --repeats.

Usage: compare_clp.py [--capm .build/release/capm] [--old-capm OLD] [--workdir /tmp/capm-alloc-clp] [--repeats 3]
                      [--skip-large] [--skip-highs-large] [--only NAME]
"""
import argparse, json, os, re, resource, statistics, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
sys.path.insert(0, HERE)
from compare_highs import HAND  # noqa: E402  (the hand example's plan text)


def timed(cmd, **kw):
    """Runs cmd; returns (CompletedProcess, wall seconds, child CPU seconds = user + sys)."""
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True, **kw)
    wall = time.perf_counter() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    return p, wall, (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)


def run_capm(capm, plan, args, mps=None):
    """Whole `capm allocate`: (objective, LP solve wall seconds, process wall, process CPU, JSON)."""
    cmd = [capm, "allocate", "--plan", plan, "--format", "json", *args] + (["--write-mps", mps] if mps else [])
    p, wall, cpu = timed(cmd, cwd=ROOT)
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)}: {p.stderr.strip()}")
    d = json.loads(p.stdout)
    return float(d["objective"]), d["solverSeconds"], wall, cpu, d


def run_capm_solve(capm, mps, maximize):
    """capm's LP solve of the written MPS (`capm solve --free`): (objective, solve CPU seconds, iterations).
    The solve's own process CPU time (`cpu_seconds`: presolve, scaling, simplex, postsolve) is what CLP's
    "iterations time" (CoinCpuTime) is compared with."""
    cmd = [capm, "solve", mps, "--free", "--format", "json"] + (["--max"] if maximize else [])
    p, _, _ = timed(cmd)
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)}: {p.stderr.strip()}")
    d = json.loads(p.stdout)
    return float(d["objective"]) if d["objective"] is not None else float("nan"), d["cpu_seconds"], d["iterations"]


def run_clp(mps, maximize, seconds):
    cmd = ["clp", mps] + (["-max"] if maximize else []) + ["-seconds", str(seconds), "-dualsimplex"]
    p, wall, _ = timed(cmd)
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
    ap.add_argument("--old-capm", default="", help="a previous capm binary, run interleaved with --capm")
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
    binaries = [("new", a.capm)] + ([("old", a.old_capm)] if a.old_capm else [])
    print(f"{time.strftime('%Y-%m-%d %H:%M:%S %Z')}, load average {os.getloadavg()}, repeats {a.repeats}; times: best / median")
    cases = [c for c in cases if a.only in c[0]]
    for name, plan, args in cases:
        mps = os.path.join(a.workdir, f"{name}.mps")
        _, _, _, _, first = run_capm(a.capm, plan, args, mps)
        head = open(mps).read(400)
        maximize = "OBJSENSE" in head and "MAX" in head
        large = first["lpColumns"] > a.highs_simplex_columns
        t = {k: [] for k in ["clp_solve", "clp_wall", "highs"]}
        for b, _ in binaries:
            for k in ["solve_cpu", "wall", "cpu"]:
                t[f"{b}_{k}"] = []
        objs = {}
        for _ in range(a.repeats):
            # Interleaved: each binary's whole allocate and its LP solve, then CLP, then HiGHS.
            for b, path in binaries:
                obj, _, wall, cpu, _ = run_capm(path, plan, args)
                objs[f"{b}_allocate"] = obj
                t[f"{b}_wall"].append(wall)
                t[f"{b}_cpu"].append(cpu)
                sobj, scpu, it = run_capm_solve(path, mps, maximize)
                objs[b] = sobj
                objs[f"{b}_iterations"] = it
                t[f"{b}_solve_cpu"].append(scpu)
            cs, cobj, csolve, cwall, cit = run_clp(mps, maximize, a.clp_seconds)
            objs["clp"] = cobj
            objs["clp_status"] = cs
            objs["clp_iterations"] = cit
            if cs == "optimal":
                t["clp_solve"].append(csolve)
            t["clp_wall"].append(cwall)
            if not (large and a.skip_highs_large):
                hs, hobj, ht = run_highs(mps, large, a.highs_time_limit)
                objs["highs"] = hobj if hs == "Optimal" else float("nan")
                t["highs"].append(ht)
        best = {k: (min(v) if v else float("nan")) for k, v in t.items()}
        median = {k: (statistics.median(v) if v else float("nan")) for k, v in t.items()}
        ref = objs["clp"]
        rel_clp = abs(objs["new"] - ref) / max(1.0, abs(ref))
        rel_highs = abs(objs["new"] - objs["highs"]) / max(1.0, abs(objs["highs"])) if "highs" in objs else float("nan")
        rel_allocate = abs(objs["new"] - objs["new_allocate"]) / max(1.0, abs(objs["new_allocate"]))
        # A CLP run stopped by its time limit is reported, not counted as a disagreement.
        ok = ((rel_clp <= 1e-7 or objs["clp_status"] == "time limit") and (rel_highs <= 1e-7 or "highs" not in objs)
              and rel_allocate <= 1e-9)
        if objs["clp_status"] != "optimal":
            print(f"  CLP: {objs['clp_status']} after {best['clp_wall']:.1f} s wall", flush=True)
        failures += 0 if ok else 1
        # CLP reports its time to 0.001 s; below that the ratio is not meaningful.
        ratio = best["new_solve_cpu"] / max(best["clp_solve"], 0.001)
        ratio_median = median["new_solve_cpu"] / max(median["clp_solve"], 0.001)
        r = dict(case=name, clp_status=objs["clp_status"], rows=first["lpRows"], columns=first["lpColumns"], best=best,
                 median=median, iterations={k: objs.get(f"{k}_iterations") for k in ["new", "old", "clp"]},
                 capm_objective=objs["new"], clp_objective=objs["clp"], highs_objective=objs.get("highs"),
                 rel_clp=rel_clp, rel_highs=rel_highs, solve_ratio_clp_best=ratio, solve_ratio_clp_median=ratio_median,
                 highs_method=("ipm+crossover" if large else "simplex"), ok=ok)
        results.append(r)
        print(f"{name} ({first['lpRows']} x {first['lpColumns']}; iterations new {objs['new_iterations']}"
              + (f", old {objs['old_iterations']}" if a.old_capm else "") + f", CLP {objs['clp_iterations']})", flush=True)
        def bm(k, digits=4):
            return f"{best[k]:.{digits}f} / {median[k]:.{digits}f}"
        print(f"  LP solve CPU s: capm new {bm('new_solve_cpu')}" + (f", old {bm('old_solve_cpu')}" if a.old_capm else "")
              + f"; CLP {bm('clp_solve', 3)}; HiGHS {bm('highs')} ({'ipm+crossover' if large else 'simplex'})")
        print(f"  capm/CLP solve: {ratio:.2f} best, {ratio_median:.2f} median"
              + (f"; new/old solve {best['new_solve_cpu'] / best['old_solve_cpu']:.2f}" if a.old_capm else ""))
        print(f"  whole capm allocate: new wall {bm('new_wall', 3)} s, CPU {bm('new_cpu', 3)} s"
              + (f"; old wall {bm('old_wall', 3)} s, CPU {bm('old_cpu', 3)} s" if a.old_capm else "")
              + f"; CLP process wall {bm('clp_wall', 3)} s")
        print(f"  objectives: rel CLP {rel_clp:.1e}, HiGHS {rel_highs:.1e}, allocate vs solve {rel_allocate:.1e} -> {'OK' if ok else 'FAIL'}",
              flush=True)
    with open(os.path.join(a.workdir, "results.json"), "w") as f:
        json.dump(results, f, indent=1)
    print(f"{len(results)} cases, {failures} failures")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
