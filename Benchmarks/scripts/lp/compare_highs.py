#!/usr/bin/env python3
"""Side-by-side: `capm solve --format json` (release build) against HiGHS (highspy, dual simplex) on the
Netlib set, and against HiGHS and CLP (`clp FILE -dualsimplex`) on allocation-shaped LPs.

Usage:
  compare_highs.py [--capm .build/release/capm] [--netlib DIR] [--repeat 3] [--only NAME ...]
  compare_highs.py --alloc 10x20x5 100x50x10 [--highs-time-limit 120] [--workdir /tmp/capm-alloc]

Times are CPU seconds (the machine is shared and loaded; wall times are inflated 2-4x at random): capm's
"cpu_seconds" (LPSolver.solve: presolve, scaling, simplex, postsolve; not the MPS read) against HiGHS' run()
measured by time.process_time() (its presolve + simplex, not the read; threads=1) and CLP's reported solve time
(CoinCpuTime, also CPU), best of --repeat runs, capm and the anchor interleaved in the same run. For CLP the process wall time minus CLP's own reading is not available, so wall times of
whole processes (read + solve) are compared for capm and clp. Pass: |obj - ref| <= 1e-6 * max(1, |ref|).
"""
import argparse, csv, json, math, os, re, shutil, subprocess, sys, time


def capm_solve(capm, path, timeout, extra=()):
    t0 = time.time()
    p = subprocess.run([capm, "solve", path, "--format", "json", *extra], capture_output=True, text=True,
                       timeout=timeout)
    wall = time.time() - t0
    # capm writes the solution and then exits 2 (infeasible), 3 (unbounded) or 4 (no certified optimum).
    if p.returncode not in (0, 2, 3, 4):
        return None, wall, p.stderr.strip()
    return json.loads(p.stdout), wall, ""


def cpu(res):
    """capm's solve CPU seconds (older builds only report wall seconds)."""
    return res.get("cpu_seconds", res["seconds"])


def highs_solve(path, time_limit=None):
    import highspy
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("solver", "simplex")
    h.setOptionValue("threads", 1)
    if time_limit:
        h.setOptionValue("time_limit", float(time_limit))
    h.readModel(path)
    t0 = time.process_time()
    h.run()
    t = time.process_time() - t0
    info = h.getInfo()
    status = h.modelStatusToString(h.getModelStatus())
    return info.objective_function_value, status, info.simplex_iteration_count, t


def clp_solve(path, timeout):
    clp = shutil.which("clp")
    if not clp:
        return None
    t0 = time.time()
    try:
        p = subprocess.run([clp, path, "-dualsimplex"], capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return ("timeout", None, None, time.time() - t0)
    wall = time.time() - t0
    m = re.search(r"Optimal objective\s+([-+0-9.eE]+)\s+-\s+(\d+)\s+iterations\s+time\s+([0-9.]+)", p.stdout)
    if not m:
        return ("failed", None, None, wall)
    return ("optimal", float(m.group(1)), int(m.group(2)), wall, float(m.group(3)))


def gmean(xs):
    xs = [x for x in xs if x and x > 0]
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else float("nan")


def netlib(args):
    rows = list(csv.DictReader(open(os.path.join(args.netlib, "optimal.csv"))))
    ratios, passed, total = [], 0, 0
    print(f"{'problem':10s} {'rows':>5s} {'capm objective':>22s} {'HiGHS objective':>22s} {'rel diff':>8s} "
          f"{'it capm':>7s} {'it HiGHS':>8s} {'t capm':>8s} {'t HiGHS':>8s} {'ratio':>6s}")
    for r in rows:
        name = r["name"]
        if args.only and name not in args.only:
            continue
        total += 1
        path = os.path.join(args.netlib, name + ".mps")
        opt = float(r["optimal_with_constant"])
        best_capm, best_highs, res = float("inf"), float("inf"), None
        for _ in range(args.repeat):  # interleaved
            res, wall, err = capm_solve(args.capm, path, args.timeout)
            if res is None:
                break
            best_capm = min(best_capm, cpu(res))
            hobj, hstatus, hit, ht = highs_solve(path)
            best_highs = min(best_highs, ht)
        if res is None:
            print(f"{name:10s} capm error: {err}")
            continue
        obj = res["objective"]
        ok = res["status"] == "optimal" and obj is not None and abs(obj - opt) <= 1e-6 * max(1, abs(opt)) \
            and abs(obj - hobj) <= 1e-6 * max(1, abs(hobj))
        passed += ok
        rel = abs(obj - hobj) / max(1, abs(hobj)) if obj is not None else float("nan")
        ratio = best_capm / best_highs if best_highs > 0 else float("nan")
        ratios.append(ratio)
        print(f"{name:10s} {int(r['rows']):5d} {obj!r:>22} {hobj!r:>22} {rel:8.1e} {res['iterations']:7d} {hit:8d} "
              f"{best_capm:8.4f} {best_highs:8.4f} {ratio:6.2f} {'' if ok else 'MISMATCH'}", flush=True)
    print(f"\n{passed}/{total} agree with Koch's optimum and HiGHS to 1e-6; geometric mean time ratio capm/HiGHS = "
          f"{gmean(ratios):.2f} over {len(ratios)} problems")


def directory(args):
    """Every .mps file in --dir, judged by HiGHS alone (Netlib problems outside optimal.csv)."""
    names = sorted(f[:-4] for f in os.listdir(args.dir) if f.endswith(".mps"))
    agree, ratios = 0, []
    for name in names:
        path = os.path.join(args.dir, name + ".mps")
        try:
            res, wall, err = capm_solve(args.capm, path, args.timeout)
        except subprocess.TimeoutExpired:
            print(f"{name:10s} capm TIMEOUT")
            continue
        hobj, hstatus, hit, ht = highs_solve(path)
        if res is None:
            print(f"{name:10s} capm error: {err}")
            continue
        obj = res["objective"]
        ok = res["status"] == "optimal" and hstatus == "Optimal" and obj is not None \
            and abs(obj - hobj) <= 1e-6 * max(1, abs(hobj))
        agree += ok
        ratios.append(cpu(res) / ht if ht > 0 else float("nan"))
        print(f"{name:10s} {res['rows']:5d} {res['status']:10s} {obj!r:>24} {hstatus:8s} {hobj!r:>24} "
              f"it {res['iterations']:6d}/{hit:6d} t {cpu(res):8.3f}/{ht:8.3f} {'' if ok else 'MISMATCH'}",
              flush=True)
    print(f"{agree}/{len(names)} agree with HiGHS; geometric mean time ratio {gmean(ratios):.2f}")


def alloc(args):
    gen = args.generator
    os.makedirs(args.workdir, exist_ok=True)
    print(f"{'model':>12s} {'rows':>6s} {'cols':>7s} {'capm obj':>20s} {'it':>4s} {'cpu s':>8s} {'wall s':>7s} | "
          f"{'HiGHS obj':>20s} {'it':>6s} {'s':>8s} | {'CLP obj':>20s} {'it':>5s} {'CLP s':>7s} {'wall s':>7s}")
    for spec in args.alloc:
        S, M, P = (int(v) for v in spec.split("x"))
        path = os.path.join(args.workdir, f"alloc_{S}_{M}_{P}.mps")
        meta = path + ".json"
        if not os.path.exists(path):
            subprocess.run([sys.executable, gen, str(S), str(M), str(P), path, "--json", meta], check=True)
        info = json.load(open(meta))
        if args.skip_highs_above and S * M * P > args.skip_highs_above:
            hobj, hstatus, hit, ht = float("nan"), "skipped", 0, float("nan")
        else:
            hobj, hstatus, hit, ht = highs_solve(path, args.highs_time_limit)
        best, bestwall, ctime, cwall, res, c = float("inf"), float("inf"), float("inf"), float("inf"), None, None
        for _ in range(args.repeat):  # capm and CLP interleaved, best of each
            r, wall, err = capm_solve(args.capm, path, args.timeout, ["--free"])
            if r is None:
                print(f"{spec:>12s} capm error {err}")
                break
            res = r
            best, bestwall = min(best, cpu(r)), min(bestwall, wall)
            c = clp_solve(path, args.timeout)
            if c and c[0] == "optimal":
                ctime, cwall = min(ctime, c[4]), min(cwall, c[3])
        if res is None:
            continue
        cobj = c[1] if c and c[0] == "optimal" else float("nan")
        cit = c[2] if c and c[0] == "optimal" else 0
        print(f"{spec:>12s} {info['rows']:6d} {info['cols']:7d} {res['objective']!r:>20} {res['iterations']:4d} "
              f"{best:8.3f} {bestwall:7.2f} | {hobj!r:>20} {hit:6d} {ht:8.3f} {hstatus if hstatus != 'Optimal' else ''} | "
              f"{cobj!r:>20} {cit:5d} {ctime:7.3f} {cwall:7.2f} | capm/CLP solve {best / ctime:5.2f}", flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--capm", default=".build/release/capm")
    ap.add_argument("--netlib", default="/work/shared/lp/netlib")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--timeout", type=float, default=600)
    ap.add_argument("--only", nargs="*")
    ap.add_argument("--alloc", nargs="*")
    ap.add_argument("--dir", help="solve every .mps here and compare with HiGHS only")
    ap.add_argument("--generator", default="/work/shared/tools/gen_alloc.py")
    ap.add_argument("--workdir", default="/tmp/capm-alloc")
    ap.add_argument("--highs-time-limit", type=float, default=120)
    ap.add_argument("--skip-highs-above", type=int, default=0,
                    help="skip HiGHS for models with more than this many S*M*P cells")
    args = ap.parse_args()
    if args.dir:
        directory(args)
    elif args.alloc:
        alloc(args)
    else:
        netlib(args)


if __name__ == "__main__":
    main()
