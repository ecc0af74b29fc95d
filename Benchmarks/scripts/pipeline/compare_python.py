#!/usr/bin/env python3
"""A whole segment run, `capm run` against the same pipeline in Python, on the same transaction file.

Setup (once; lifetimes 0.11.3 needs the pandas 1.x / numpy < 1.24 / scipy < 1.11 stack, so the anchor lives in a
venv of its own, never committed):
    python3 -m venv /work/venv-pipe
    /work/venv-pipe/bin/pip install -r Benchmarks/scripts/pipeline/requirements.txt
    swift build -c release --product capm
    Benchmarks/scripts/pipeline/make_data.sh 100k 1m 5m      # /tmp/capm-bench/tx-{100k,1m,5m}.csv

Run from the repository root:
    /work/venv-pipe/bin/python Benchmarks/scripts/pipeline/compare_python.py \
        --transactions /tmp/capm-bench/tx-1m.csv [--k 4] [--capm .build/release/capm]
    /work/venv-pipe/bin/python Benchmarks/scripts/pipeline/compare_python.py --capm-only \
        /tmp/capm-bench/tx-1m.csv /tmp/capm-bench/tx-5m.csv           # scaling of capm alone

The Python pipeline (one child process, each step timed with perf_counter):
  read      pandas.read_csv (dates parsed)
  summary   lifetimes.utils.summary_data_from_transaction_data (weeks as days / 7, observation end = last date)
  fit       lifetimes BetaGeoFitter on (x, t_x, T) + GammaGammaFitter on the repeat buyers
  predict   conditional_probability_alive + GammaGammaFitter.customer_lifetime_value(time=12 months, freq="W",
            discount_rate=0), i.e. 12 × 4.345 = 52.14 weeks undiscounted; capm gets --horizon 52.14
  features  the run's features (clv, p_alive, frequency, recency, T, monetary_value), log1p on clv and
            monetary_value, StandardScaler (population standard deviation, as capm's z-score)
  segment   scikit-learn KMeans(k, init="k-means++", n_init=1, tol=1e-4, max_iter=300, algorithm="lloyd")
            with the same k and restarts as capm (seeds differ: the inertias are compared, not the labels), then
            what capm's segment step computes besides: silhouette (seeded sample of 10,000 rows), Davies-Bouldin,
            Calinski-Harabasz, and per-segment profiles (pandas groupby)
  allocate  the allocation LP of the run, written by `capm allocate --write-mps` from the plan capm's run used
            (plan.json in its output directory, with the segments of the run), read and solved by highspy
            (dual simplex). The allocation is a few thousand columns at most: a small part of the run.
  write     DataFrame.to_csv of the per-customer table (id, RFM, predictions, segment)
capm: `capm run --transactions F --budget B --k K --output-dir D`, per-step seconds from D/run.json (its
"sweep" step, a warm-started budget sweep, has no Python counterpart and is listed but left out of the
step-matched total; the whole-process wall time of each side is also reported).
Before `capm run` existed, the capm side was the per-step commands `capm clv --timings`, `capm segment` (with
its validity indices, as the run) and `capm allocate` on the bundled plan; that path is kept (--per-step) for
comparison (its segment time includes reading the predictions CSV back; its allocation is the bundled plan's).

Interleaving (the machine is shared and noisy): capm, Python, capm; per step the faster capm run counts.
Peak memory: ru_maxrss of each child process (os.wait4), the whole process.
Agreement: BG/NBD and Gamma-Gamma parameters (max relative difference), total CLV (relative), k-means inertia of
both sides evaluated in the same scaled space (ratio), and the LP objective (capm's uplift vs HiGHS).
"""
import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
MONTH_WEEKS = 4.345  # lifetimes' weeks per month for freq="W"
HORIZON_MONTHS = 12
FEATURES = ["clv", "p_alive", "frequency", "recency", "T", "monetary_value"]
LOG_FEATURES = {"clv", "monetary_value"}
SILHOUETTE_SAMPLE = 10_000  # capm run's --silhouette-sample default
STEPS = ["read", "summary", "fit", "predict", "features", "segment", "allocate", "write"]


# ----------------------------------------------------------------------------------------------------------------
# processes

class Child:
    """A child process whose own rusage is read with wait4 (Popen would reap it and lose the rusage)."""

    @staticmethod
    def run(cmd):
        started = time.perf_counter()
        with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
            pid = os.posix_spawnp(cmd[0], cmd, os.environ, file_actions=[
                (os.POSIX_SPAWN_DUP2, out.fileno(), 1), (os.POSIX_SPAWN_DUP2, err.fileno(), 2)])
            _, status, usage = os.wait4(pid, 0)
            wall = time.perf_counter() - started
            out.seek(0)
            err.seek(0)
            stdout, stderr = out.read(), err.read()
        code = os.waitstatus_to_exitcode(status)
        if code != 0:
            sys.exit(f"{' '.join(cmd[:3])} failed ({code}): {stderr.strip()[-2000:]}")
        return stdout, stderr, wall, usage.ru_maxrss * 1024  # Linux: kilobytes


def has_run_command(capm):
    proc = subprocess.run([capm, "run", "--help"], capture_output=True, text=True)
    return proc.returncode == 0 and "--output-dir" in proc.stdout


# ----------------------------------------------------------------------------------------------------------------
# capm side

def step_seconds(timings):
    """run.json timings [{step, seconds}] → {step: seconds}, parts such as 'segment.seeding' left out."""
    steps = {}
    for t in timings:
        if "." not in t["step"]:
            steps[t["step"]] = steps.get(t["step"], 0.0) + t["seconds"]
    return steps


def find_first(obj, match):
    """The first non-None `match(node)` over the dicts of a JSON tree (depth first), or None."""
    if isinstance(obj, dict):
        found = match(obj)
        if found is not None:
            return found
        values = obj.values()
    elif isinstance(obj, list):
        values = obj
    else:
        return None
    for v in values:
        found = find_first(v, match)
        if found is not None:
            return found
    return None


def find_key(obj, key):
    """The first value stored under `key` anywhere in a JSON tree, or None."""
    return find_first(obj, lambda d: d.get(key))


def find_parameters(obj, names):
    """The first dict in a JSON tree that holds every name in `names` with a number, as a list of floats."""
    return find_first(obj, lambda d: [float(d[n]) for n in names]
                      if all(isinstance(d.get(n), (int, float)) for n in names) else None)


def fit_parameters(run, model):
    """(BG/NBD, Gamma-Gamma) parameter lists from run.json's fits."""
    fits = find_key(run, "fits") or []
    out = {}
    for f in fits:
        params = f.get("parameters")
        if isinstance(params, dict):
            out[f.get("model")] = params
        elif isinstance(params, list) and "parameter_names" in f:
            out[f.get("model")] = dict(zip(f["parameter_names"], params))
    bg = out.get("bgnbd")
    gg = out.get("gamma-gamma")
    return ([bg[n] for n in ("r", "alpha", "a", "b")] if bg else find_parameters(run, ["r", "alpha", "a", "b"]),
            [gg[n] for n in ("p", "q", "gamma")] if gg else find_parameters(run, ["p", "q", "gamma"]))


def capm_run(capm, transactions, args, workdir):
    """One `capm run`; returns a dict with per-step seconds, wall, peak RSS and the answers to compare."""
    outdir = os.path.join(workdir, "capm-run")
    cmd = [capm, "run", "--transactions", transactions, "--budget", str(args.budget), "--k", str(args.k),
           "--restarts", str(args.restarts), "--seed", "0", "--horizon", f"{HORIZON_MONTHS * MONTH_WEEKS:g}",
           "--output-dir", outdir]
    if args.plan:
        cmd += ["--plan", args.plan]
    _, _, wall, rss = Child.run(cmd)
    with open(os.path.join(outdir, "run.json")) as f:
        run = json.load(f)
    segments = {}
    if os.path.exists(os.path.join(outdir, "segments.json")):
        with open(os.path.join(outdir, "segments.json")) as f:
            segments = json.load(f)
    allocation = {}
    if os.path.exists(os.path.join(outdir, "allocation.json")):
        with open(os.path.join(outdir, "allocation.json")) as f:
            allocation = json.load(f)
    bg, gg = fit_parameters(run, "bgnbd")
    return dict(steps=step_seconds(run.get("timings", [])), wall=wall, rss=rss, bgnbd=bg, gamma_gamma=gg,
                segments_json=segments,
                parts={t["step"]: t["seconds"] for t in run.get("timings", []) if "." in t["step"]},
                inertia=find_key(segments, "inertia") or find_key(run, "inertia"),
                uplift=find_key(allocation, "uplift") or find_key(allocation, "objective"),
                outdir=outdir, run=run)


def capm_per_step(capm, transactions, args, workdir):
    """The same pipeline through `capm clv`, `capm segment` and `capm allocate` (before `capm run` existed)."""
    pred = os.path.join(workdir, "predictions.csv")
    out, err, wall_clv, rss_clv = Child.run([
        capm, "clv", "--transactions", transactions, "--spend", "gamma-gamma", "--format", "json",
        "--horizon", f"{HORIZON_MONTHS * MONTH_WEEKS:g}", "--output", pred, "--timings"])
    t = {}
    for line in err.splitlines():
        if line.startswith("time "):
            name, secs = line[5:].rsplit(" ", 2)[0], float(line.rsplit(" ", 2)[1])
            t[name] = secs
    fit = json.loads(out)
    steps = {"read": t.get("read transactions", 0.0), "summary": t.get("summary", 0.0)}
    steps["fit"] = sum(v for k, v in t.items() if k.startswith("patterns") or k.startswith("fit") or k == "spend data")
    steps["predict"] = t.get("predict", 0.0)
    steps["write"] = t.get("write", 0.0)
    report = os.path.join(workdir, "segment.json")
    _, _, wall_seg, rss_seg = Child.run([
        capm, "segment", "--input", pred, "--features", ",".join(FEATURES), "--log1p", ",".join(sorted(LOG_FEATURES)),
        "--k", str(args.k), "--restarts", str(args.restarts), "--seed", "0", "--format", "json",
        "--report", report, "--output", os.path.join(workdir, "segments.csv")])
    with open(report) as f:
        seg = json.load(f)
    steps["segment"] = wall_seg  # includes reading predictions.csv back: the price of separate commands
    plan = args.plan or os.path.join(ROOT, "Examples", "plan.yaml")
    mps = os.path.join(workdir, "allocation.mps")
    out, _, wall_alloc, rss_alloc = Child.run([
        capm, "allocate", "--plan", plan, "--budget", str(args.budget), "--format", "json", "--write-mps", mps])
    alloc = json.loads(out)
    steps["allocate"] = wall_alloc
    params = fit["parameters"]
    spend = fit.get("spend", {}).get("parameters", {})
    return dict(steps=steps, wall=wall_clv + wall_seg + wall_alloc, rss=max(rss_clv, rss_seg, rss_alloc),
                bgnbd=[params[n] for n in ("r", "alpha", "a", "b")],
                gamma_gamma=[spend[n] for n in ("p", "q", "gamma")] if spend else None,
                inertia=find_key(seg, "inertia"), uplift=find_key(alloc, "uplift") or find_key(alloc, "objective"),
                predictions=pred, mps=mps, plan=plan)


def write_mps(capm, plan, budget, path):
    """The allocation LP of `plan` at `budget`, as free MPS (capm allocate --write-mps); returns capm's JSON."""
    out, _, _, _ = Child.run([capm, "allocate", "--plan", plan, "--budget", str(budget), "--format", "json",
                              "--write-mps", path])
    return json.loads(out)


# ----------------------------------------------------------------------------------------------------------------
# Python side (runs in a child process: python compare_python.py --python-side ...)

def python_side(a):
    import numpy as np
    import pandas as pd
    from lifetimes import BetaGeoFitter, GammaGammaFitter
    from lifetimes.utils import summary_data_from_transaction_data
    from sklearn.cluster import KMeans
    from sklearn.metrics import calinski_harabasz_score, davies_bouldin_score, silhouette_score
    from sklearn.preprocessing import StandardScaler

    t = {}
    clock = time.perf_counter

    started = clock()
    tx = pd.read_csv(a.transactions, dtype={"customer_id": str}, parse_dates=["date"])
    t["read"] = clock() - started

    started = clock()
    s = summary_data_from_transaction_data(
        tx, "customer_id", "date", monetary_value_col="amount", observation_period_end=tx["date"].max(),
        freq="D", freq_multiplier=7)
    t["summary"] = clock() - started
    del tx

    started = clock()
    x, rec, T, m = s["frequency"], s["recency"], s["T"], s["monetary_value"]
    bgf = BetaGeoFitter().fit(x.values, rec.values, T.values)
    buyers = x > 0
    ggf = GammaGammaFitter().fit(x[buyers].values, m[buyers].values)
    t["fit"] = clock() - started

    started = clock()
    p_alive = bgf.conditional_probability_alive(x.values, rec.values, T.values)
    clv = ggf.customer_lifetime_value(bgf, x, rec, T, m, time=HORIZON_MONTHS, discount_rate=0.0, freq="W")
    t["predict"] = clock() - started

    started = clock()
    table = pd.DataFrame({"clv": clv.values, "p_alive": p_alive, "frequency": x.values, "recency": rec.values,
                          "T": T.values, "monetary_value": m.values}, index=s.index)
    raw = table[FEATURES].to_numpy(dtype=float, copy=True)
    for j, name in enumerate(FEATURES):
        if name in LOG_FEATURES:
            raw[:, j] = np.log1p(raw[:, j])
    scaled = StandardScaler().fit_transform(raw)
    t["features"] = clock() - started

    started = clock()
    km = KMeans(n_clusters=a.k, init="k-means++", n_init=a.restarts, max_iter=300, tol=1e-4, random_state=0,
                algorithm="lloyd").fit(scaled)
    t["segment.kmeans"] = clock() - started
    # What capm's segment step also computes for a fixed k: the validity indices (silhouette on a seeded sample
    # of 10,000 rows above that size) and the segment profiles (size, CLV total/mean/median, mean P(alive)).
    sample = SILHOUETTE_SAMPLE if len(scaled) > SILHOUETTE_SAMPLE else None
    metrics = dict(silhouette=float(silhouette_score(scaled, km.labels_, sample_size=sample, random_state=0)),
                   davies_bouldin=float(davies_bouldin_score(scaled, km.labels_)),
                   calinski_harabasz=float(calinski_harabasz_score(scaled, km.labels_)))
    profiles = table.assign(segment=km.labels_).groupby("segment").agg(
        size=("clv", "size"), total_clv=("clv", "sum"), mean_clv=("clv", "mean"), median_clv=("clv", "median"),
        mean_p_alive=("p_alive", "mean"))
    profiles["clv_share"] = profiles["total_clv"] / profiles["total_clv"].sum()
    t["segment"] = clock() - started

    lp = {}
    if a.mps:
        import highspy
        started = clock()
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("solver", "simplex")
        h.readModel(a.mps)
        h.run()
        t["allocate"] = clock() - started
        lp = dict(status=h.modelStatusToString(h.getModelStatus()),
                  objective=h.getInfo().objective_function_value)

    started = clock()
    table["segment"] = km.labels_
    table.to_csv(os.path.join(a.python_workdir, "customers.csv"), index_label="customer_id")
    t["write"] = clock() - started

    result = dict(steps=t, customers=int(len(s)), bgnbd=[float(v) for v in bgf.params_[["r", "alpha", "a", "b"]]],
                  gamma_gamma=[float(v) for v in ggf.params_[["p", "q", "v"]]], total_clv=float(clv.sum()),
                  inertia=float(km.inertia_), kmeans_iterations=int(km.n_iter_), metrics=metrics,
                  lp=lp, versions=versions())
    with open(a.python_out, "w") as f:
        json.dump(result, f)


def versions():
    from importlib import metadata
    out = {"python": sys.version.split()[0]}
    for name in ["numpy", "pandas", "scipy", "scikit-learn", "lifetimes", "highspy"]:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:  # the version line is informative only
            out[name] = "missing"
    return out


def inertia_in_python_space(python_customers, capm_labels):
    """Inertia of capm's segments in the scaled space of the Python side (its customers.csv holds the raw
    features), rows matched by customer id: both partitions measured alike. Runs in the parent, untimed."""
    import numpy as np
    import pandas as pd
    d = pd.read_csv(python_customers, dtype={"customer_id": str}).set_index("customer_id")
    labels = pd.read_csv(capm_labels, dtype={"customer_id": str}, usecols=["customer_id", "segment"])
    labels = labels.set_index("customer_id")["segment"].reindex(d.index)
    if labels.isna().any():
        return None
    raw = d[FEATURES].to_numpy(dtype=float, copy=True)
    for j, name in enumerate(FEATURES):
        if name in LOG_FEATURES:
            raw[:, j] = np.log1p(raw[:, j])
    z = (raw - raw.mean(axis=0)) / raw.std(axis=0)
    total = {}
    for name, lab in [("capm", labels.to_numpy(dtype=int)), ("python", d["segment"].to_numpy(dtype=int))]:
        total[name] = sum(float(((z[lab == c] - z[lab == c].mean(axis=0)) ** 2).sum()) for c in np.unique(lab))
    return total


def python_run(transactions, args, workdir, mps, capm_labels):
    out = os.path.join(workdir, "python.json")
    pwd = os.path.join(workdir, "python")
    os.makedirs(pwd, exist_ok=True)
    cmd = [args.python, os.path.abspath(__file__), "--python-side", "--transactions", transactions, "--k",
           str(args.k), "--restarts", str(args.restarts), "--python-out", out, "--python-workdir", pwd]
    if mps:
        cmd += ["--mps", mps]
    _, _, wall, rss = Child.run(cmd)
    with open(out) as f:
        result = json.load(f)
    result.update(wall=wall, rss=rss)
    if capm_labels and os.path.exists(capm_labels):
        result["same_space"] = inertia_in_python_space(os.path.join(pwd, "customers.csv"), capm_labels)
    return result


# ----------------------------------------------------------------------------------------------------------------
# report

def rel(a, b):
    return max(abs(x - y) / max(abs(y), 1e-300) for x, y in zip(a, b))


def total_clv_of(path):
    import pandas as pd
    d = pd.read_csv(path, usecols=["clv"])
    return float(d["clv"].sum())


def labels_file(outdir):
    path = os.path.join(outdir, "customers.csv")
    return path if os.path.exists(path) else None


def load_average():
    return ", ".join(f"{v:.1f}" for v in os.getloadavg())


def compare(args):
    tx = os.path.abspath(args.transactions)
    use_run = has_run_command(args.capm) and not args.per_step
    with tempfile.TemporaryDirectory(prefix="capm-vs-python-") as workdir:
        print(f"file {tx} ({os.path.getsize(tx) / 1e6:.1f} MB); {'capm run' if use_run else 'capm per-step commands'}; "
              f"k {args.k}, restarts {args.restarts}; load average before: {load_average()}", flush=True)
        ours_runs = []

        def capm_once():
            d = os.path.join(workdir, f"capm{len(ours_runs)}")
            os.makedirs(d)
            r = capm_run(args.capm, tx, args, d) if use_run else capm_per_step(args.capm, tx, args, d)
            ours_runs.append(r)
            print(f"  capm   {r['wall']:7.2f} s wall, peak RSS {r['rss'] / 2**20:7.0f} MiB  (load {load_average()})",
                  flush=True)
            return r

        first = capm_once()
        # The allocation LP of the run, for HiGHS: from the effective plan capm's run wrote, else the plan given.
        mps = os.path.join(workdir, "allocation.mps")
        if use_run:
            plan = os.path.join(first["outdir"], "plan.json")
            if not os.path.exists(plan):
                plan = args.plan or os.path.join(ROOT, "Examples", "plan.yaml")
            lp_capm = write_mps(args.capm, plan, args.budget, mps)
        else:
            lp_capm = write_mps(args.capm, first["plan"], args.budget, mps)
        capm_labels = labels_file(first["outdir"]) if use_run else os.path.join(os.path.dirname(first["mps"]), "segments.csv")
        py = python_run(tx, args, workdir, mps, capm_labels)
        print(f"  python {py['wall']:7.2f} s wall, peak RSS {py['rss'] / 2**20:7.0f} MiB  (load {load_average()})",
              flush=True)
        for _ in range(args.repeats - 1):
            capm_once()
        capm_clv = total_clv_of(os.path.join(first["outdir"], "customers.csv") if use_run else first["predictions"])

    best = {s: min(r["steps"].get(s, math.inf) for r in ours_runs) for s in set().union(*(r["steps"] for r in ours_runs))}
    ours_wall = min(r["wall"] for r in ours_runs)
    ours_rss = max(r["rss"] for r in ours_runs)
    print(f"\nversions: {py['versions']}; load average after: {load_average()}")
    print(f"customers: {py['customers']:,}\n")
    print("| step | Python (s) | capm (s) | Python / capm |")
    print("|---|---:|---:|---:|")
    matched_py = matched_ours = 0.0
    for s in STEPS:
        p, o = py["steps"].get(s), best.get(s)
        if p is None and o is None:
            continue
        if p is not None and o is not None and o < math.inf:
            matched_py += p
            matched_ours += o
            print(f"| {s} | {p:.2f} | {o:.3f} | {p / o:.1f}× |")
        else:
            print(f"| {s} | {'–' if p is None else f'{p:.2f}'} | {'–' if o is None or o == math.inf else f'{o:.3f}'} | – |")
    km_ours = [r["parts"].get("segment.seeding", 0) + r["parts"].get("segment.iterations", 0)
               for r in ours_runs if r.get("parts", {}).get("segment.iterations") is not None]
    if km_ours and "segment.kmeans" in py["steps"]:
        p, o = py["steps"]["segment.kmeans"], min(km_ours)
        print(f"| (segment: k-means fit alone, seeding + iterations) | {p:.2f} | {o:.3f} | {p / o:.1f}× |")
    for s in sorted(set(best) - set(STEPS)):
        print(f"| {s} (capm only) | – | {best[s]:.3f} | – |")
    print(f"| **all matched steps** | {matched_py:.2f} | {matched_ours:.2f} | **{matched_py / matched_ours:.1f}×** |")
    print(f"| whole process (wall) | {py['wall']:.2f} | {ours_wall:.2f} | **{py['wall'] / ours_wall:.1f}×** |")
    print(f"| peak resident memory | {py['rss'] / 2**20:.0f} MiB | {ours_rss / 2**20:.0f} MiB | "
          f"{py['rss'] / ours_rss:.1f}× |")

    print("\nAgreement:")
    if first["bgnbd"]:
        print(f"  BG/NBD (r, alpha, a, b): capm {[round(v, 6) for v in first['bgnbd']]}, lifetimes "
              f"{[round(v, 6) for v in py['bgnbd']]}; max relative difference {rel(first['bgnbd'], py['bgnbd']):.2e}")
    if first["gamma_gamma"]:
        print(f"  Gamma-Gamma (p, q, gamma): capm {[round(v, 6) for v in first['gamma_gamma']]}, lifetimes "
              f"{[round(v, 6) for v in py['gamma_gamma']]}; max relative difference "
              f"{rel(first['gamma_gamma'], py['gamma_gamma']):.2e}")
    print(f"  total CLV over {HORIZON_MONTHS * MONTH_WEEKS:g} weeks: capm {capm_clv:,.2f}, lifetimes "
          f"{py['total_clv']:,.2f}; relative difference {abs(capm_clv - py['total_clv']) / abs(py['total_clv']):.2e}")
    if first["inertia"] is not None:
        line = f"  k-means inertia (k {args.k}): capm {first['inertia']:.6g}, scikit-learn {py['inertia']:.6g}"
        same = py.get("same_space")
        if same:
            line += (f"; both partitions in the Python side's scaled space: capm {same['capm']:.6g}, "
                     f"scikit-learn {same['python']:.6g}")
        print(line + f" (ratio capm / scikit-learn {first['inertia'] / py['inertia']:.4f})")
    if py.get("metrics"):
        ours_metrics = {k: find_key(first.get("segments_json") or {}, k) for k in ("silhouette", "daviesBouldin", "calinskiHarabasz")}
        print(f"  validity indices: scikit-learn silhouette {py['metrics']['silhouette']:.4f}, Davies-Bouldin "
              f"{py['metrics']['davies_bouldin']:.4f}, Calinski-Harabasz {py['metrics']['calinski_harabasz']:.6g}; "
              f"capm {ours_metrics}")
    if py.get("lp"):
        capm_obj = lp_capm.get("uplift", find_key(lp_capm, "uplift"))
        line = (f"  allocation LP: HiGHS {py['lp']['status']}, objective {py['lp']['objective']:.10g}; capm allocate "
                f"uplift {capm_obj}")
        if first.get("uplift") is not None:
            line += f"; capm run's allocation uplift {first['uplift']}"
        print(line)


def scaling(args):
    rows = []
    for path in args.files:
        path = os.path.abspath(path)
        runs = []
        for _ in range(args.repeats):
            with tempfile.TemporaryDirectory(prefix="capm-scaling-") as workdir:
                r = capm_run(args.capm, path, args, workdir)
                with open(os.path.join(r["outdir"], "customers.csv")) as f:
                    r["customers"] = sum(1 for _ in f) - 1
                runs.append(r)
                print(f"  {os.path.basename(path)}: {r['wall']:.2f} s wall, peak RSS {r['rss'] / 2**20:.0f} MiB "
                      f"(load {load_average()})", flush=True)
        best = {s: min(r["steps"].get(s, math.inf) for r in runs) for s in runs[0]["steps"]}
        rows.append(dict(file=path, customers=runs[0]["customers"], wall=min(r["wall"] for r in runs),
                         rss=max(r["rss"] for r in runs), steps=best))
    steps = [s for s in rows[0]["steps"]]
    print("\n| customers | " + " | ".join(steps) + " | whole run (wall) | customers/s | peak RSS |")
    print("|---:|" + "---:|" * (len(steps) + 3))
    for r in rows:
        print(f"| {r['customers']:,} | " + " | ".join(f"{r['steps'].get(s, math.nan):.3f}" for s in steps) +
              f" | {r['wall']:.2f} | {r['customers'] / r['wall']:,.0f} | {r['rss'] / 2**20:.0f} MiB |")
    for a, b in zip(rows, rows[1:]):
        scale = math.log(b["customers"] / a["customers"])
        print(f"\nscaling {a['customers']:,} → {b['customers']:,}: exponent of the whole run "
              f"log(t_b/t_a)/log(N_b/N_a) = {math.log(b['wall'] / a['wall']) / scale:.3f}; per step: " +
              ", ".join(f"{s} {math.log(b['steps'][s] / a['steps'][s]) / scale:.2f}" for s in steps
                        if a['steps'].get(s, 0) > 0.01 and b['steps'].get(s, 0) > 0))
    print(f"load average after: {load_average()}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="*", help="with --capm-only: transaction files, smallest first")
    ap.add_argument("--capm", default=os.path.join(ROOT, ".build", "release", "capm"))
    ap.add_argument("--python", default=sys.executable, help="interpreter of the Python pipeline (the venv's)")
    ap.add_argument("--transactions", help="customer_id,date,amount file")
    ap.add_argument("--k", type=int, default=4, help="segments (both sides)")
    ap.add_argument("--restarts", type=int, default=1, help="k-means restarts / n_init (both sides)")
    ap.add_argument("--budget", type=float, default=250000)
    ap.add_argument("--plan", help="plan file for capm (default: its bundled example)")
    ap.add_argument("--repeats", type=int, default=2, help="capm runs (best counts); Python runs once")
    ap.add_argument("--per-step", action="store_true", help="time capm clv/segment/allocate instead of capm run")
    ap.add_argument("--capm-only", action="store_true", help="scaling of capm run over the files given")
    # internal: the Python side
    ap.add_argument("--python-side", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--python-out", help=argparse.SUPPRESS)
    ap.add_argument("--python-workdir", help=argparse.SUPPRESS)
    ap.add_argument("--mps", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.python_side:
        return python_side(a)
    if not os.path.exists(a.capm):
        sys.exit(f"{a.capm} not found: run `swift build -c release --product capm` in the repository root")
    if a.capm_only:
        if not a.files:
            sys.exit("--capm-only needs transaction files")
        return scaling(a)
    if not a.transactions:
        sys.exit("give --transactions FILE (see Benchmarks/scripts/pipeline/make_data.sh)")
    if not os.path.exists(a.transactions):
        sys.exit(f"{a.transactions} not found: generate it with Benchmarks/scripts/pipeline/make_data.sh")
    compare(a)


if __name__ == "__main__":
    main()
