#!/usr/bin/env python3
"""Compare `capm segment` with scikit-learn's KMeans on identical data, in one run.

Three checks (see Docs/segmentation.md, "Measured"):

1. agreement: from identical initial centroids, no scaling, tolerance 0 and the same iteration cap, capm's final
   inertia and centroids must equal sklearn's KMeans(algorithm="lloyd", n_init=1) to 1e-9 relative;
2. quality: with k-means++ and restarts (same k, same n_init), capm's inertia must be no worse than sklearn's on
   Gaussian blobs and on CDNOW-derived RFM features (mean over `--quality-seeds` seeds: the random streams differ,
   so the means are compared with the standard error of their difference);
3. speed (wall time, the `--threads` counts) and cpu (CPU time, 1 thread): seconds per Lloyd iteration for capm
   and sklearn on the same .npy file, float64 and float32, the ratio, and the ratio to the hardware bound
   max(2·N·k·d / peak GEMM rate, N·d·bytes / read bandwidth), the rates measured in this run with NumPy (same
   OpenBLAS) on the cell's thread count.

Usage (from the repository root, after `swift build -c release`):
    pip install scikit-learn threadpoolctl
    python3 Benchmarks/scripts/segmentation/compare_sklearn.py [--quick] [--sizes 1000000] [--dims 8 16 32]
        [--ks 8 32] [--threads 1 2] [--iterations 8] [--json results.json]

sklearn's time per iteration is that of its own iteration kernel (`lloyd_iter_chunked_dense`, as KMeans.fit calls
it, on centred data); capm reports per-iteration wall and CPU time itself (`run.iterationSeconds`,
`run.iterationCPUSeconds` in its JSON). Each side's first iteration is dropped.
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from threadpoolctl import threadpool_limits
from sklearn.cluster import KMeans

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))


def run_capm(capm, npy, k, threads, extra):
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as f:
        report = f.name
    cmd = [capm, "segment", "--input", npy, "--k", str(k), "--scale", "none", "--threads", str(threads),
           "--no-metrics", "--format", "json", "--report", report] + extra
    start = time.perf_counter()
    subprocess.run(cmd, check=True)
    wall = time.perf_counter() - start
    with open(report) as f:
        out = json.load(f)
    os.unlink(report)
    return out, wall


def peak_gemm(threads, n=2000, repeats=3, dtype=np.float64):
    a = np.random.default_rng(0).standard_normal((n, n)).astype(dtype)
    b = np.random.default_rng(1).standard_normal((n, n)).astype(dtype)
    with threadpool_limits(threads):
        a @ b
        best = min(timed(lambda: a @ b) for _ in range(repeats))
    return 2 * n ** 3 / best


def read_bandwidth(nbytes=1 << 29, repeats=3, threads=1):
    """Bytes per second of a streaming read (NumPy sum of `nbytes`) on `threads` threads, each summing its own
    contiguous slice (NumPy releases the GIL inside the reduction: 19.2 GB/s on 1 thread, 32.3 on 2 here)."""
    x = np.ones(nbytes // 8)
    parts = np.array_split(x, threads)
    with ThreadPoolExecutor(threads) as pool:
        def read():
            list(pool.map(np.sum, parts))
        read()
        best = min(timed(read) for _ in range(repeats))
    return nbytes / best


def measure_hardware(threads):
    """Peak DGEMM and SGEMM rates and the read bandwidth on `threads` threads."""
    return dict(dgemm=peak_gemm(threads), sgemm=peak_gemm(threads, dtype=np.float32),
                bandwidth=read_bandwidth(threads=threads))


def hardware_bound(n, d, k, label, hardware):
    """max(2·N·k·d / peak GEMM, N·d·bytes / read bandwidth): the time one Lloyd iteration cannot beat (the issue's
    bound), with the GEMM of the precision (`label`: "f64" or "f32") and its element size."""
    peak = hardware["dgemm" if label == "f64" else "sgemm"]
    size = 8 if label == "f64" else 4
    return max(2 * n * k * d / peak, n * d * size / hardware["bandwidth"])


def timed(fn):
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def sklearn_fit(x, init, k, threads, max_iter, tol=0.0):
    with threadpool_limits(threads):
        model = KMeans(n_clusters=k, init=init, n_init=1, max_iter=max_iter, tol=tol, algorithm="lloyd",
                       copy_x=True)
        start = time.perf_counter()
        model.fit(x)
        return model, time.perf_counter() - start


def agreement(capm, workdir, rng):
    """capm vs sklearn from identical starts: inertia and centroids to 1e-9 relative."""
    rows = []
    for (n, d, k, iters) in [(20000, 4, 5, 20), (50000, 8, 8, 15), (30000, 16, 12, 10), (20000, 32, 32, 25)]:
        centers = rng.normal(scale=4, size=(k, d))
        x = (centers[rng.integers(0, k, n)] + rng.standard_normal((n, d)) + 100.0)  # offset: tests centring
        init = x[rng.choice(n, k, replace=False)]
        xp, ip = os.path.join(workdir, "agree_x.npy"), os.path.join(workdir, "agree_init.npy")
        np.save(xp, x)
        np.save(ip, init)
        for kernel in ["lloyd", "hamerly"]:
            out, _ = run_capm(capm, xp, k, 2, ["--init", ip, "--tolerance", "0", "--max-iterations", str(iters),
                                              "--algorithm", kernel])
            model, _ = sklearn_fit(x, init, k, 2, iters)
            c_capm = np.array(out["centroids"])
            rel_inertia = abs(out["inertia"] - model.inertia_) / model.inertia_
            rel_centroids = np.max(np.abs(c_capm - model.cluster_centers_)) / np.max(np.abs(model.cluster_centers_))
            rows.append(dict(n=n, d=d, k=k, kernel=kernel, capm_iterations=out["iterations"],
                             sklearn_iterations=int(model.n_iter_), capm_inertia=out["inertia"],
                             sklearn_inertia=float(model.inertia_), rel_inertia=rel_inertia,
                             rel_centroids=float(rel_centroids), ok=bool(rel_inertia <= 1e-9 and rel_centroids <= 1e-9
                                                                         and out["iterations"] == model.n_iter_)))
    return rows


def quality(capm, workdir, rng, restarts=4, seed_count=5):
    """k-means++ with restarts: capm's inertia no worse than sklearn's (same k, n_init), mean over `seed_count`
    seeds (the two libraries' random streams differ, so single seeds are not comparable)."""
    rows = []
    datasets = []
    centers = rng.normal(scale=3, size=(10, 6))
    blobs = centers[rng.integers(0, 10, 100000)] + rng.standard_normal((100000, 6))
    datasets.append(("gaussian blobs 100k x 6", blobs, [5, 10, 20]))
    cdnow = os.path.join("/work/shared/data/cdnow/cdnow_customers_summary_with_transactions.csv")
    if os.path.exists(cdnow):
        raw = np.genfromtxt(cdnow, delimiter=",", names=True)
        feats = np.column_stack([raw["x"], raw["t_x"], raw["T"], np.log1p(raw["zbar"])])
        feats = (feats - feats.mean(0)) / feats.std(0)
        datasets.append(("CDNOW RFM (x, t_x, T, log1p zbar), z-scored", feats, [3, 5, 8]))
    seeds = list(range(1, seed_count + 1))
    for name, x, ks in datasets:
        xp = os.path.join(workdir, "quality.npy")
        np.save(xp, x)
        for k in ks:
            capm_runs, sk_runs = [], []
            for seed in seeds:
                out, _ = run_capm(capm, xp, k, 2, ["--restarts", str(restarts), "--seed", str(seed)])
                capm_runs.append(out["inertia"])
                with threadpool_limits(2):
                    sk_runs.append(float(KMeans(n_clusters=k, n_init=restarts, random_state=seed,
                                                algorithm="lloyd").fit(x).inertia_))
            # The two random streams differ, so "no worse" is judged on the means: z = (capm mean − sklearn mean) /
            # standard error of that difference; capm is worse only if z > 2 (and the strict comparison is reported
            # as well).
            se = float(np.sqrt(np.var(capm_runs, ddof=1) / len(seeds) + np.var(sk_runs, ddof=1) / len(seeds))) \
                if len(seeds) > 1 else 0.0
            diff = float(np.mean(capm_runs) - np.mean(sk_runs))
            z = diff / se if se > 0 else (0.0 if diff <= 0 else float("inf"))
            rows.append(dict(data=name, k=k, n_init=restarts, seeds=len(seeds), capm_mean=float(np.mean(capm_runs)),
                             sklearn_mean=float(np.mean(sk_runs)), capm_best=min(capm_runs), sklearn_best=min(sk_runs),
                             ratio=float(np.mean(capm_runs) / np.mean(sk_runs)), z=z,
                             strictly_no_worse=bool(np.mean(capm_runs) <= np.mean(sk_runs) * (1 + 1e-9)),
                             ok=bool(z <= 2)))
    return rows


def sklearn_iteration_times(x, init, threads, iters):
    """Wall and CPU (process) seconds of each of `iters` calls of scikit-learn's Lloyd iteration kernel, in the
    dtype of `x` (float64 or float32, as KMeans.fit would call it)."""
    from sklearn.cluster._k_means_lloyd import lloyd_iter_chunked_dense
    dtype = x.dtype
    mean = x.mean(0)
    xc = x - mean
    old = np.ascontiguousarray(init.astype(dtype) - mean)
    new = np.zeros_like(old)
    weights = np.ones(len(x), dtype=dtype)
    in_clusters = np.zeros(len(init), dtype=dtype)
    labels = np.full(len(x), -1, dtype=np.int32)
    shift = np.zeros(len(init), dtype=dtype)
    times, cpu = [], []
    with threadpool_limits(1, user_api="blas"):
        for _ in range(iters):
            start, start_cpu = time.perf_counter(), time.process_time()
            lloyd_iter_chunked_dense(xc, weights, old, new, in_clusters, labels, shift, threads)
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
            old, new = new, old
    del xc
    return times, cpu


def capm_cpu_seconds(capm, npy, k, init, iterations, extra):
    """CPU seconds (user + system) of one `capm segment` child process (robust to other load on the machine) and
    the number of iterations it ran."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out, _ = run_capm(capm, npy, k, 1, ["--init", init, "--tolerance", "0", "--algorithm", "lloyd",
                                        "--max-iterations", str(iterations)] + extra)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime), out["iterations"], out


def cpu_speed(capm, workdir, rng, sizes, dims, ks, iters, repeats=3, hardware=None, capm_iters=20,
              precisions=("f64", "f32"), statistic="median", measure_hardware=None):
    """CPU milliseconds per Lloyd iteration on one thread, capm vs scikit-learn, float64 and float32 (scikit-learn
    on float32 data, capm with --precision float32). On a shared machine CPU time is far less noisy than wall time.
    Both are measured the same way: the process CPU time (CLOCK_PROCESS_CPUTIME_ID, all threads) around each
    iteration, median over the iterations but the first — scikit-learn's by `time.process_time()` around its
    iteration kernel (`iters` calls), capm's as it reports it (`run.iterationCPUSeconds`) in a run of 2 + I iterations,
    I = max(`capm_iters`, iterations worth about 3 s at twice scikit-learn's speed; at most 600).
    Cross-check (`capm_diff_*`): the CPU time of that whole capm process minus one of 2 iterations, per extra
    iteration — it also counts the system time of reading the .npy, which varies by hundreds of ms between identical
    runs (1 GB: 0.9–3.1 s measured), so it is the noisier of the two; at 4M × 32, k = 32 float32 it came out at 75 ms in
    three runs, below the SGEMM bound, against 115 ms per iteration timed inside the run: there the 2-iteration run's
    fixed costs were the larger by about a second. Interleaved, best of `repeats`. With `hardware`
    (peak DGEMM/SGEMM flop rates and read bandwidth on 1 thread), also the bound
    max(2·N·k·d / peak GEMM, N·d·bytes / bandwidth) of each cell. With `measure_hardware` (a function returning such
    a dict), the hardware is measured again before each (N, d) block and the bound uses the highest rate of each
    kind seen in the run: on this VM a single measurement can land in a slow spell (SGEMM 61.5 against 93.4 GFLOP/s
    in another run), which would understate the bound. Returns the rows and the hardware used. `statistic`: "median" (of each run's iterations,
    the smallest over the runs) or "min" (the fastest single iteration of all runs, for both sides: on a machine that
    switches between fast and slow states for tens of seconds, the time of the work itself)."""
    pick = np.median if statistic == "median" else np.min
    rows = []
    for n in sizes:
        for d in dims:
            if measure_hardware:
                again = measure_hardware()
                hardware = {key: max(hardware[key], again[key]) for key in hardware} if hardware else again
            x = rng.standard_normal((n, d))
            xp = os.path.join(workdir, f"cpu_{n}_{d}.npy")
            np.save(xp, x)
            x32 = x.astype(np.float32)
            for k in ks:
                init = x[rng.choice(n, k, replace=False)]
                ip = os.path.join(workdir, "cpu_init.npy")
                np.save(ip, init)
                row = dict(n=n, d=d, k=k)
                for label, extra, data in [("f64", [], x), ("f32", ["--precision", "float32"], x32)]:
                    if label not in precisions:
                        continue
                    capm_best, diff_best, sk_best = float("inf"), float("inf"), float("inf")
                    for _ in range(repeats):
                        _, cpu = sklearn_iteration_times(data, init, 1, iters)
                        sk_best = min(sk_best, float(pick(cpu[1:])))
                        # Enough iterations that their CPU time (≈ 3 s, judged from scikit-learn's at ≥ 2× less) dwarfs
                        # the run-to-run spread of the fixed costs in the cross-check (reading the file: tens to
                        # hundreds of ms on a shared machine); with 20 iterations a fast cell once measured a
                        # negative difference.
                        extra_iters = min(600, max(capm_iters, int(np.ceil(3.0 / sk_best * 2))))
                        short, it_short, _ = capm_cpu_seconds(capm, xp, k, ip, 2, extra)
                        long, it_long, out = capm_cpu_seconds(capm, xp, k, ip, 2 + extra_iters, extra)
                        per_iteration = out["run"].get("iterationCPUSeconds", [])[1:]
                        if per_iteration:
                            capm_best = min(capm_best, float(pick(per_iteration)))
                        if it_long > it_short and long > short:
                            diff_best = min(diff_best, (long - short) / (it_long - it_short))
                    row[f"capm_{label}"] = capm_best
                    row[f"capm_diff_{label}"] = diff_best
                    row[f"sklearn_{label}"] = sk_best
                    row[f"ratio_{label}"] = sk_best / capm_best
                rows.append(row)
                print(f"  cpu N={n} d={d} k={k}: {row}", file=sys.stderr, flush=True)
            del x32
            os.unlink(xp)
    if hardware:
        for row in rows:
            n, d, k = row["n"], row["d"], row["k"]
            for label in precisions:
                bound = hardware_bound(n, d, k, label, hardware)
                row[f"bound_{label}"] = bound
                row[f"over_bound_{label}"] = row[f"capm_{label}"] / bound
    return rows, hardware


def minibatch(capm, workdir, rng, n, d, k, threads, seeds=(1, 2, 3), batch=1024, epochs=100):
    """Mini-batch k-means on N Gaussian-blob rows: capm --algorithm minibatch vs sklearn MiniBatchKMeans (same k,
    batch size, n_init=1, k-means++ on 3 x batch rows), and both vs capm's full Lloyd (k-means++): final inertia
    (exact, all rows) and wall seconds. capm's time is the whole process (it includes reading the .npy file);
    sklearn's is MiniBatchKMeans.fit on data already in memory."""
    from sklearn.cluster import MiniBatchKMeans
    centers = rng.normal(scale=2.0, size=(k, d))
    x = centers[rng.integers(0, k, n)] + rng.standard_normal((n, d))
    xp = os.path.join(workdir, "minibatch.npy")
    np.save(xp, x)
    rows = []
    full, full_wall = run_capm(capm, xp, k, threads, ["--algorithm", "lloyd", "--seed", "1"])
    for seed in seeds:
        out, wall = run_capm(capm, xp, k, threads, ["--algorithm", "minibatch", "--batch-size", str(batch),
                                                    "--seed", str(seed), "--max-iterations", str(epochs)])
        with threadpool_limits(threads):
            model = MiniBatchKMeans(n_clusters=k, batch_size=batch, n_init=1, random_state=seed, max_iter=epochs)
            start = time.perf_counter()
            model.fit(x)
            sk_wall = time.perf_counter() - start
        rows.append(dict(n=n, d=d, k=k, threads=threads, seed=seed, batch=batch, capm_inertia=out["inertia"],
                         capm_steps=out["iterations"], capm_wall=wall, sklearn_inertia=float(model.inertia_),
                         sklearn_steps=int(model.n_steps_), sklearn_wall=sk_wall, lloyd_inertia=full["inertia"],
                         lloyd_wall=full_wall, lloyd_iterations=full["iterations"]))
        print(f"  minibatch: {rows[-1]}", file=sys.stderr, flush=True)
    os.unlink(xp)
    return rows


def speed(capm, workdir, rng, sizes, dims, ks, threads_list, iters, repeats=1, statistic="median"):
    """Wall seconds per Lloyd iteration on 1 and more threads, capm vs scikit-learn's iteration kernel, float64 and
    float32, on one Gaussian cloud (Lloyd keeps moving for many iterations, so no run stops early). capm's times are
    its own per-iteration wall times (`run.iterationSeconds`, the first iteration dropped), scikit-learn's those of
    `iters` calls of its iteration kernel. With `repeats` > 1 each side is run that many times, interleaved;
    `statistic` "median" keeps the smallest median over the runs, "min" the fastest single iteration (both sides
    alike; on a machine that switches between fast and slow states, the time of the work itself). The bound of a
    cell uses the hardware measured on the cell's thread count (peak DGEMM/SGEMM and the read bandwidth with that
    many reading threads), measured again before each (N, d) block, the highest rate of each kind seen in the run.
    Returns the rows and the hardware per thread count."""
    pick = np.median if statistic == "median" else np.min
    hardware = {}
    rows = []
    for n in sizes:
        for d in dims:
            for t in threads_list:
                again = measure_hardware(t)
                hardware[t] = {key: max(hardware[t][key], again[key]) for key in again} if t in hardware else again
            x = rng.standard_normal((n, d))
            xp = os.path.join(workdir, f"speed_{n}_{d}.npy")
            np.save(xp, x)
            x32 = x.astype(np.float32)
            for k in ks:
                init = x[rng.choice(n, k, replace=False)]
                ip = os.path.join(workdir, "speed_init.npy")
                np.save(ip, init)
                for t in threads_list:
                    row = dict(n=n, d=d, k=k, threads=t, repeats=repeats, statistic=statistic)
                    for label in ("f64", "f32"):
                        row[f"capm_{label}"] = row[f"sklearn_{label}"] = float("inf")
                    for _ in range(repeats):
                        for label, extra, data in [("f64", [], x), ("f32", ["--precision", "float32"], x32)]:
                            out, _ = run_capm(capm, xp, k, t, ["--init", ip, "--tolerance", "0", "--algorithm",
                                                               "lloyd", "--max-iterations", str(iters)] + extra)
                            per = out["run"]["iterationSeconds"][1:] or out["run"]["iterationSeconds"]
                            row[f"capm_{label}"] = min(row[f"capm_{label}"], float(pick(per)))
                            if label == "f64":
                                inertia64 = out["inertia"]
                            else:
                                row["f32_inertia_rel_diff"] = abs(out["inertia"] - inertia64) / inertia64
                            times, _ = sklearn_iteration_times(data, init, t, iters)
                            row[f"sklearn_{label}"] = min(row[f"sklearn_{label}"], float(pick(times[1:])))
                    for label in ("f64", "f32"):
                        bound = hardware_bound(n, d, k, label, hardware[t])
                        row[f"bound_{label}"] = bound
                        row[f"ratio_{label}"] = row[f"sklearn_{label}"] / row[f"capm_{label}"]
                        row[f"over_bound_{label}"] = row[f"capm_{label}"] / bound
                    rows.append(row)
                    print(f"  N={n} d={d} k={k} T={t}: capm {row['capm_f64']*1e3:.1f} ms (f32 "
                          f"{row['capm_f32']*1e3:.1f}), sklearn {row['sklearn_f64']*1e3:.1f} ms (f32 "
                          f"{row['sklearn_f32']*1e3:.1f})", file=sys.stderr, flush=True)
            del x32
            os.unlink(xp)
    # The bound of every cell with the highest rates of the whole run.
    for row in rows:
        for label in ("f64", "f32"):
            row[f"bound_{label}"] = hardware_bound(row["n"], row["d"], row["k"], label, hardware[row["threads"]])
            row[f"over_bound_{label}"] = row[f"capm_{label}"] / row[f"bound_{label}"]
    return rows, hardware


def convergence(capm, workdir, rng, n, threads, cells=((8, 8), (8, 32), (16, 32))):
    """Whole fits to convergence (tol 1e-4, same initial centroids) on Gaussian blobs: wall seconds of the
    clustering itself for capm Lloyd, capm Hamerly, sklearn Lloyd and sklearn Elkan (capm: seeding excluded, data
    loading excluded; sklearn: KMeans.fit with the explicit init)."""
    rows = []
    for (d, k) in cells:
        centers = rng.normal(scale=2.5, size=(k, d))
        x = centers[rng.integers(0, k, n)] + rng.standard_normal((n, d))
        init = x[rng.choice(n, k, replace=False)]
        xp, ip = os.path.join(workdir, "conv_x.npy"), os.path.join(workdir, "conv_init.npy")
        np.save(xp, x)
        np.save(ip, init)
        row = dict(n=n, d=d, k=k, threads=threads)
        for algorithm in ["lloyd", "hamerly"]:
            out, _ = run_capm(capm, xp, k, threads, ["--init", ip, "--algorithm", algorithm])
            row[f"capm_{algorithm}"] = float(sum(out["run"]["iterationSeconds"]))
            row[f"capm_{algorithm}_iterations"] = out["iterations"]
            row[f"capm_{algorithm}_inertia"] = out["inertia"]
        for algorithm in ["lloyd", "elkan"]:
            with threadpool_limits(threads):
                model = KMeans(n_clusters=k, init=init, n_init=1, algorithm=algorithm)
                start = time.perf_counter()
                model.fit(x)
                row[f"sklearn_{algorithm}"] = time.perf_counter() - start
                row[f"sklearn_{algorithm}_iterations"] = int(model.n_iter_)
                row[f"sklearn_{algorithm}_inertia"] = float(model.inertia_)
        rows.append(row)
        print(f"  converge N={n} d={d} k={k}: {row}", file=sys.stderr, flush=True)
        os.unlink(xp)
    return rows


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--capm", default=os.path.join(ROOT, ".build", "release", "capm"))
    p.add_argument("--sizes", type=int, nargs="+", default=[1_000_000])
    p.add_argument("--dims", type=int, nargs="+", default=[8, 16, 32])
    p.add_argument("--ks", type=int, nargs="+", default=[8, 32])
    p.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    p.add_argument("--iterations", type=int, default=8)
    p.add_argument("--quick", action="store_true", help="small sizes, for a smoke test")
    p.add_argument("--skip", nargs="*", default=[],
                   choices=["agreement", "quality", "speed", "convergence", "cpu", "minibatch"])
    p.add_argument("--cpu-sizes", type=int, nargs="+", default=[1_000_000, 4_000_000])
    p.add_argument("--precisions", nargs="+", default=["f64", "f32"], choices=["f64", "f32"],
                   help="which precisions the cpu section measures")
    p.add_argument("--cpu-repeats", type=int, default=3,
                   help="interleaved runs per cell of the cpu section (the smallest median of each side is kept)")
    p.add_argument("--cpu-statistic", choices=["median", "min"], default="median",
                   help="per side and cell: the smallest median over the runs, or the fastest single iteration")
    p.add_argument("--minibatch-rows", type=int, default=4_000_000)
    p.add_argument("--quality-seeds", type=int, default=5, help="seeds per cell of the k-means++ quality check")
    p.add_argument("--speed-repeats", type=int, default=1,
                   help="interleaved runs per cell of the wall-time section")
    p.add_argument("--speed-statistic", choices=["median", "min"], default="median",
                   help="wall-time section, per side and cell: the smallest median over the runs, or the fastest "
                        "single iteration")
    p.add_argument("--convergence-cells", nargs="+", default=["8:8", "8:32", "16:32"], metavar="D:K",
                   help="feature and cluster counts of the whole-fit comparison")
    p.add_argument("--minibatch-seeds", type=int, nargs="+", default=[1, 2, 3])
    p.add_argument("--json", help="write all results to this file")
    a = p.parse_args()
    if a.quick:
        a.sizes, a.dims, a.ks, a.iterations = [100_000], [8], [8], 5
    rng = np.random.default_rng(20261123)
    results = {}
    with tempfile.TemporaryDirectory() as work:
        if "agreement" not in a.skip:
            results["agreement"] = agreement(a.capm, work, rng)
            print("## Agreement with sklearn from identical starts (1e-9 relative)")
            print("| N | d | k | capm engine | iterations capm/sklearn | rel. inertia diff | rel. centroid diff | ok |")
            print("|---|---|---|---|---|---|---|---|")
            for r in results["agreement"]:
                print(f"| {r['n']} | {r['d']} | {r['k']} | {r['kernel']} | {r['capm_iterations']}/{r['sklearn_iterations']}"
                      f" | {r['rel_inertia']:.1e} | {r['rel_centroids']:.1e} | {r['ok']} |")
        if "quality" not in a.skip:
            results["quality"] = quality(a.capm, work, rng, seed_count=a.quality_seeds)
            print(f"\n## k-means++ with restarts: final inertia, capm vs sklearn (mean and best over {a.quality_seeds} seeds)")
            print("| data | k | n_init | capm mean | sklearn mean | capm/sklearn (mean) | z of the difference | "
                  "capm best | sklearn best | mean ≤ | not worse (z ≤ 2) |")
            print("|---|---|---|---|---|---|---|---|---|---|---|")
            for r in results["quality"]:
                print(f"| {r['data']} | {r['k']} | {r['n_init']} | {r['capm_mean']:.7g} | {r['sklearn_mean']:.7g} | "
                      f"{r['ratio']:.6f} | {r['z']:+.2f} | {r['capm_best']:.7g} | {r['sklearn_best']:.7g} | "
                      f"{r['strictly_no_worse']} | {r['ok']} |")
        if "speed" not in a.skip:
            results["speed"], hw = speed(a.capm, work, rng, a.sizes, a.dims, a.ks, a.threads, a.iterations,
                                         repeats=a.speed_repeats, statistic=a.speed_statistic)
            results["hardware"] = {str(t): v for t, v in hw.items()}
            print(f"\n## Wall ms per Lloyd iteration, same data and threads ({a.speed_statistic}, best of "
                  f"{a.speed_repeats}, interleaved); {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
                  f"load average {os.getloadavg()[0]:.1f}")
            print("; ".join(f"{t} thr: DGEMM {v['dgemm']/1e9:.1f}, SGEMM {v['sgemm']/1e9:.1f} GFLOP/s, read "
                            f"{v['bandwidth']/1e9:.1f} GB/s" for t, v in hw.items())
                  + " (NumPy/OpenBLAS on that many threads; the highest of the measurements before each (N, d) block)")
            print("| N | d | k | thr | capm f64 | sklearn f64 | sklearn/capm f64 | bound f64 | capm/bound f64 | "
                  "capm f32 | sklearn f32 | sklearn/capm f32 | bound f32 | capm/bound f32 |")
            print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
            for r in results["speed"]:
                cells = []
                for label in ("f64", "f32"):
                    cells += [f"{r[f'capm_{label}']*1e3:.1f}", f"{r[f'sklearn_{label}']*1e3:.1f}",
                              f"{r[f'ratio_{label}']:.2f}", f"{r[f'bound_{label}']*1e3:.1f}",
                              f"{r[f'over_bound_{label}']:.2f}"]
                print(f"| {r['n']} | {r['d']} | {r['k']} | {r['threads']} | " + " | ".join(cells) + " |", flush=True)
        if "convergence" not in a.skip:
            cells = [tuple(int(v) for v in c.split(":")) for c in a.convergence_cells]
            results["convergence"] = convergence(a.capm, work, rng, a.sizes[0], a.threads[-1], cells)
            print("\n## Whole fit to convergence (tol 1e-4, same initial centroids, Gaussian blobs), seconds")
            print("| N | d | k | thr | capm lloyd (it) | capm hamerly (it) | sklearn lloyd (it) | sklearn elkan (it) | "
                  "sklearn lloyd / capm lloyd | inertia capm/sklearn |")
            print("|---|---|---|---|---|---|---|---|---|---|")
            for r in results["convergence"]:
                print(f"| {r['n']} | {r['d']} | {r['k']} | {r['threads']} | {r['capm_lloyd']:.2f} ({r['capm_lloyd_iterations']}) | "
                      f"{r['capm_hamerly']:.2f} ({r['capm_hamerly_iterations']}) | "
                      f"{r['sklearn_lloyd']:.2f} ({r['sklearn_lloyd_iterations']}) | "
                      f"{r['sklearn_elkan']:.2f} ({r['sklearn_elkan_iterations']}) | "
                      f"{r['sklearn_lloyd'] / r['capm_lloyd']:.2f} | "
                      f"{r['capm_hamerly_inertia'] / r['sklearn_lloyd_inertia']:.9f} |")
        if "cpu" not in a.skip:
            results["cpu"], hw = cpu_speed(a.capm, work, rng, a.cpu_sizes, a.dims, a.ks, a.iterations,
                                           precisions=a.precisions, repeats=a.cpu_repeats,
                                           statistic=a.cpu_statistic, measure_hardware=lambda: measure_hardware(1))
            results["cpu_hardware"] = hw
            print(f"\n## CPU ms per Lloyd iteration, 1 thread ({a.cpu_statistic}, best of {a.cpu_repeats}, interleaved); {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
                  f"load average {os.getloadavg()[0]:.1f}")
            print(f"Peak DGEMM {hw['dgemm']/1e9:.1f} GFLOP/s, SGEMM {hw['sgemm']/1e9:.1f} GFLOP/s, read bandwidth "
                  f"{hw['bandwidth']/1e9:.1f} GB/s (1 thread, NumPy/OpenBLAS; the highest of the measurements before "
                  f"each (N, d) block)")
            print("| N | d | k | capm f64 | (process diff) | sklearn f64 | sklearn/capm f64 | bound f64 | capm/bound f64 | "
                  "capm f32 | (process diff) | sklearn f32 | sklearn/capm f32 | bound f32 | capm/bound f32 |")
            print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
            for r in results["cpu"]:
                cells = []
                for label in ("f64", "f32"):
                    if f"capm_{label}" in r:
                        cells += [f"{r[f'capm_{label}']*1e3:.1f}", f"{r[f'capm_diff_{label}']*1e3:.1f}",
                                  f"{r[f'sklearn_{label}']*1e3:.1f}",
                                  f"{r[f'ratio_{label}']:.2f}", f"{r[f'bound_{label}']*1e3:.1f}",
                                  f"{r[f'over_bound_{label}']:.2f}"]
                    else:
                        cells += ["–"] * 6
                print(f"| {r['n']} | {r['d']} | {r['k']} | " + " | ".join(cells) + " |", flush=True)
        if "minibatch" not in a.skip:
            results["minibatch"] = minibatch(a.capm, work, rng, a.minibatch_rows, 8, 8, a.threads[-1],
                                             seeds=a.minibatch_seeds)
            print("\n## Mini-batch k-means vs sklearn MiniBatchKMeans (batch 1024, n_init 1), Gaussian blobs")
            print("| N | d | k | thr | seed | capm inertia / sklearn | capm / capm Lloyd | sklearn / capm Lloyd | "
                  "capm steps | sklearn steps | capm s (incl. load) | sklearn s | capm Lloyd s |")
            print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
            for r in results["minibatch"]:
                print(f"| {r['n']} | {r['d']} | {r['k']} | {r['threads']} | {r['seed']} | "
                      f"{r['capm_inertia'] / r['sklearn_inertia']:.4f} | {r['capm_inertia'] / r['lloyd_inertia']:.4f} | "
                      f"{r['sklearn_inertia'] / r['lloyd_inertia']:.4f} | {r['capm_steps']} | {r['sklearn_steps']} | "
                      f"{r['capm_wall']:.2f} | {r['sklearn_wall']:.2f} | {r['lloyd_wall']:.2f} |")
    if a.json:
        with open(a.json, "w") as f:
            json.dump(results, f, indent=2)


if __name__ == "__main__":
    main()
