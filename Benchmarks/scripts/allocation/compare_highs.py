#!/usr/bin/env python3
"""Allocation LPs: `capm allocate --write-mps` against HiGHS (highspy) on the same LP.

For each plan shape and scenario: run `capm allocate --format json --write-mps F` (one process: read the plan,
resolve templates, linearize curves, build and solve the LP, rank, report), read F into HiGHS, solve, and check
|obj_capm - obj_highs| <= 1e-7 * max(1, |obj_highs|). Infeasible plans must be infeasible for both.
Times: capm's LP solve ("solverSeconds" in its JSON) against HiGHS' run() (presolve + solve, not the MPS read),
measured in the same run on the same machine; plus capm's whole-process wall time. Ratio = capm / HiGHS.
Large models (> 100k columns) go to HiGHS' interior point with crossover (its dual simplex does not finish in
minutes on them, see issue 5).

Shapes: the hand example of issue 6 (several budgets and constraints), the bundled Examples/plan.yaml under
every scenario, and synthetic plans from generate_plan.py (10x20x5 and 100x50x10 with share rows, 1000x50x10).
Also times a 20-point warm-started budget sweep on 100x50x10.

Usage: compare_highs.py [--capm .build/release/capm] [--workdir /tmp/capm-alloc-bench] [--skip-large]
"""
import argparse, json, os, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))

HAND = """version: 1
name: hand example
budget: {{amount: {budget}}}
segments:
  - {{id: S1, customers: 1000, clv: 500}}
  - {{id: S2, customers: 2000, clv: 300}}
moments:
  - {{id: M1, stage: awareness}}
  - {{id: M2, stage: purchase}}
channels:
  - {{id: mail}}
cells:
  - {{segment: S1, moment: M1, channel: mail, response: {{breakpoints: [[0, 0], [20000, 60000], [50000, 120000], [100000, 170000]]}}}}
  - {{segment: S1, moment: M2, channel: mail, response: {{breakpoints: [[0, 0], [10000, 40000], [30000, 70000], [60000, 85000]]}}}}
  - {{segment: S2, moment: M1, channel: mail, response: {{breakpoints: [[0, 0], [30000, 75000], [60000, 120000]]}}}}
  - {{segment: S2, moment: M2, channel: mail, response: {{breakpoints: [[0, 0], [25000, 45000], [50000, 75000], [80000, 90000]]}}}}
constraints: {constraints}
"""


def highs_solve(path, large, time_limit):
    import highspy
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    if large:
        h.setOptionValue("solver", "ipm")
        h.setOptionValue("run_crossover", "on")
    else:
        h.setOptionValue("solver", "simplex")
    h.setOptionValue("time_limit", float(time_limit))
    h.readModel(path)
    t0 = time.time()
    h.run()
    t = time.time() - t0
    status = h.modelStatusToString(h.getModelStatus())
    return status, h.getInfo().objective_function_value, t


def capm_allocate(capm, plan, mps, args):
    cmd = [capm, "allocate", "--plan", plan, "--format", "json", "--write-mps", mps, *args]
    t0 = time.time()
    p = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    wall = time.time() - t0
    # capm writes the report and then exits 2 (infeasible), 3 (unbounded) or 4 (no certified optimum).
    if p.returncode not in (0, 2, 3, 4):
        raise RuntimeError(f"{' '.join(cmd)}: {p.stderr.strip()}")
    return json.loads(p.stdout), wall


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--capm", default=os.path.join(ROOT, ".build/release/capm"))
    ap.add_argument("--workdir", default="/tmp/capm-alloc-bench")
    ap.add_argument("--skip-large", action="store_true")
    ap.add_argument("--highs-time-limit", type=float, default=600)
    a = ap.parse_args()
    os.makedirs(a.workdir, exist_ok=True)
    gen = os.path.join(HERE, "generate_plan.py")
    cases = []
    # Hand example.
    for name, budget, cons in [("hand-90k", 90000, "[]"), ("hand-100k", 100000, "[]"), ("hand-200k", 200000, "[]"),
                               ("hand-300k", 300000, "[]"),
                               ("hand-S1cap-M2floor", 100000, "[{segment: S1, max: 45000}, {moment: M2, min: 40000}]"),
                               ("hand-infeasible", 100000, "[{moment: M2, min: 150000}]")]:
        path = os.path.join(a.workdir, f"{name}.yaml")
        with open(path, "w") as f:
            f.write(HAND.format(budget=budget, constraints=cons))
        cases.append((name, path, []))
    example = os.path.join(ROOT, "Examples", "plan.yaml")
    cases += [("example-250k", example, ["--budget", "250000"]),
              ("example-min-spend", example, ["--scenario", "min-spend", "--target-uplift", "600000"]),
              ("example-target-roi-2.5", example, ["--scenario", "target-roi", "--roi", "2.5", "--budget", "1000000"]),
              ("example-target-mroi-2.5", example, ["--scenario", "target-mroi", "--roi", "2.5", "--budget", "1000000"])]
    shapes = [(10, 20, 5, True), (100, 50, 10, True)] + ([] if a.skip_large else [(1000, 50, 10, False)])
    for s, m, k, shares in shapes:
        path = os.path.join(a.workdir, f"gen-{s}x{m}x{k}.yaml")
        with open(path, "w") as f:
            subprocess.run([sys.executable, gen, "--segments", str(s), "--moments", str(m), "--pieces", str(k)]
                           + (["--shares"] if shares else []), stdout=f, check=True)
        cases.append((f"gen-{s}x{m}x{k}", path, []))
    rows = []
    failures = 0
    for name, plan, args in cases:
        mps = os.path.join(a.workdir, f"{name}.mps")
        res, wall = capm_allocate(a.capm, plan, mps, args)
        res["objective"] = float(res["objective"])  # "nan" for infeasible plans
        large = res["lpColumns"] > 100_000
        hs, hobj, ht = highs_solve(mps, large, a.highs_time_limit)
        if res["status"] == "infeasible" or hs == "Infeasible":
            ok = res["status"] == "infeasible" and hs == "Infeasible"
            rel = float("nan")
        else:
            rel = abs(res["objective"] - hobj) / max(1.0, abs(hobj))
            ok = res["status"] == "optimal" and hs == "Optimal" and rel <= 1e-7
        failures += 0 if ok else 1
        row = dict(case=name, rows=res["lpRows"], columns=res["lpColumns"], capm_status=res["status"],
                   highs_status=hs, capm_objective=res["objective"], highs_objective=hobj, rel_diff=rel,
                   capm_iterations=res["iterations"], capm_solve_s=res["solverSeconds"], capm_wall_s=wall,
                   highs_s=ht, highs_method="ipm+crossover" if large else "simplex",
                   ratio=res["solverSeconds"] / ht if ht > 0 else float("nan"), ok=ok)
        rows.append(row)
        print(f"{name:26s} {row['rows']:6d}x{row['columns']:<7d} capm {res['status']:10s} {res['objective']:.10g} "
              f"HiGHS {hs:10s} {hobj:.10g} rel {rel:.1e} | capm solve {row['capm_solve_s']:.4f}s "
              f"(wall {wall:.3f}s, {res['iterations']} it) HiGHS {row['highs_method']} {ht:.4f}s "
              f"ratio {row['ratio']:.2f} {'OK' if ok else 'FAIL'}", flush=True)
    # Sweep on 100x50x10.
    sweep_plan = os.path.join(a.workdir, "gen-100x50x10.yaml")
    with open(sweep_plan) as f:
        plan_budget = float(next(l for l in f if l.startswith("budget:")).split("amount:")[1].strip(" }\n"))
    t0 = time.time()
    p = subprocess.run([a.capm, "allocate", "--plan", sweep_plan, "--scenario", "sweep", "--sweep-from",
                        repr(0.5 * plan_budget), "--sweep-to", repr(1.5 * plan_budget), "--sweep-steps", "20", "--max-breakpoints", "0", "--format", "json"],
                       capture_output=True, text=True, cwd=ROOT)
    sweep_wall = time.time() - t0
    if p.returncode == 0:
        d = json.loads(p.stdout)
        its = [pt["iterations"] for pt in d["sweep"]]
        print(f"sweep 100x50x10, 20 budgets (warm-started, with left/right shadow prices): wall {sweep_wall:.3f}s, "
              f"first solve {d['iterations']} it, re-solves {min(its)}..{max(its)} it (mean {sum(its)/len(its):.1f})")
        # Check three grid points against cold HiGHS solves of the same LP at that budget.
        import highspy
        for pt in d["sweep"][::7]:
            mps = os.path.join(a.workdir, "sweep-point.mps")
            capm_allocate(a.capm, sweep_plan, mps, ["--budget", repr(pt["budget"])])
            hs, hobj, ht = highs_solve(mps, False, a.highs_time_limit)
            rel = abs(pt["uplift"] - hobj) / max(1.0, abs(hobj))
            ok = rel <= 1e-7
            failures += 0 if ok else 1
            print(f"  sweep point {pt['budget']:.0f}: capm {pt['uplift']:.10g} HiGHS {hobj:.10g} rel {rel:.1e} {'OK' if ok else 'FAIL'}")
    else:
        print("sweep failed:", p.stderr.strip())
        failures += 1
    with open(os.path.join(a.workdir, "results.json"), "w") as f:
        json.dump(rows, f, indent=1)
    print(f"{len(rows)} cases, {failures} failures")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
