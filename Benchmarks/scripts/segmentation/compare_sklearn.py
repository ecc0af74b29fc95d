#!/usr/bin/env python3
"""Compare `capm segment` with scikit-learn's KMeans on identical data, in one run.

Three checks (see Docs/segmentation.md, "Measured"):

1. agreement: from identical initial centroids, no scaling, tolerance 0 and the same iteration cap, capm's final
   inertia and centroids must equal sklearn's KMeans(algorithm="lloyd", n_init=1) to 1e-9 relative;
2. quality: with k-means++ and restarts (same k, same n_init), capm's inertia must be no worse than sklearn's on
   Gaussian blobs and on CDNOW-derived RFM features;
3. speed: seconds per Lloyd iteration for capm and sklearn on the same .npy file and thread count, the ratio, and
   the ratio to the hardware bound max(2·N·k·d / peak DGEMM rate, N·d·8 bytes / read bandwidth), both measured in
   this run with NumPy (same OpenBLAS).

Usage (from the repository root, after `swift build -c release`):
    pip install scikit-learn threadpoolctl
    python3 Benchmarks/scripts/segmentation/compare_sklearn.py [--quick] [--sizes 1000000] [--dims 8 16 32]
        [--ks 8 32] [--threads 1 2] [--iterations 8] [--json results.json]

sklearn's time per iteration is obtained by differencing two fits (max_iter = 2 + I and max_iter = 2, best of
two each) so that its
fixed costs (copying/centring X, the final assignment) cancel; capm reports per-iteration wall time itself
(`run.iterationSeconds` in its JSON): the median over iterations, best of two runs.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

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


def peak_gemm(threads, n=2000, repeats=3):
    a = np.random.default_rng(0).standard_normal((n, n))
    b = np.random.default_rng(1).standard_normal((n, n))
    with threadpool_limits(threads):
        a @ b
        best = min(timed(lambda: a @ b) for _ in range(repeats))
    return 2 * n ** 3 / best


def read_bandwidth(nbytes=1 << 29, repeats=3):
    x = np.ones(nbytes // 8)
    x.sum()
    best = min(timed(x.sum) for _ in range(repeats))
    return nbytes / best


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
        for kernel in ["simd", "gemm"]:
            out, _ = run_capm(capm, xp, k, 2, ["--init", ip, "--tolerance", "0", "--max-iterations", str(iters),
                                              "--kernel", kernel])
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


def quality(capm, workdir, rng, restarts=4):
    """k-means++ with restarts: capm's inertia no worse than sklearn's (same k, n_init)."""
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
    for name, x, ks in datasets:
        xp = os.path.join(workdir, "quality.npy")
        np.save(xp, x)
        for k in ks:
            out, _ = run_capm(capm, xp, k, 2, ["--restarts", str(restarts), "--seed", "1"])
            with threadpool_limits(2):
                model = KMeans(n_clusters=k, n_init=restarts, random_state=1, algorithm="lloyd").fit(x)
            rows.append(dict(data=name, k=k, n_init=restarts, capm_inertia=out["inertia"],
                             sklearn_inertia=float(model.inertia_),
                             ratio=out["inertia"] / model.inertia_, ok=bool(out["inertia"] <= model.inertia_ * (1 + 1e-9))))
    return rows


def speed(capm, workdir, rng, sizes, dims, ks, threads_list, iters, gemm_peaks, bandwidth):
    rows = []
    for n in sizes:
        for d in dims:
            # One Gaussian cloud: Lloyd keeps moving for many iterations, so no run stops early.
            x = rng.standard_normal((n, d))
            xp = os.path.join(workdir, f"speed_{n}_{d}.npy")
            np.save(xp, x)
            for k in ks:
                init = x[rng.choice(n, k, replace=False)]
                ip = os.path.join(workdir, "speed_init.npy")
                np.save(ip, init)
                for t in threads_list:
                    row = dict(n=n, d=d, k=k, threads=t)
                    for kernel in ["simd", "gemm"]:
                        medians = []
                        for _ in range(2):  # best of two runs (shared, noisy machine)
                            out, wall = run_capm(capm, xp, k, t, ["--init", ip, "--tolerance", "0",
                                                                  "--max-iterations", str(iters), "--kernel", kernel])
                            per = out["run"]["iterationSeconds"]
                            medians.append(float(np.median(per[1:] if len(per) > 1 else per)))
                        row[f"capm_{kernel}"] = min(medians)
                        row[f"capm_{kernel}_iterations"] = out["iterations"]
                    auto, _ = run_capm(capm, xp, k, t, ["--init", ip, "--tolerance", "0", "--max-iterations", "2"])
                    row["auto_kernel"] = auto["run"]["kernel"]
                    # Difference of two fits (2 and 2 + iters iterations), best of two each, so fixed costs cancel.
                    fits1 = [sklearn_fit(x, init, k, t, 2) for _ in range(2)]
                    fits2 = [sklearn_fit(x, init, k, t, 2 + iters) for _ in range(2)]
                    t1 = min(f[1] for f in fits1)
                    t2 = min(f[1] for f in fits2)
                    n1, n2 = fits1[0][0].n_iter_, fits2[0][0].n_iter_
                    row["sklearn_iterations"] = int(n2)
                    row["sklearn"] = (t2 - t1) / max(1, n2 - n1)
                    bound = max(2 * n * k * d / gemm_peaks[t], n * d * 8 / bandwidth)
                    row["bound"] = bound
                    best = min(row["capm_simd"], row["capm_gemm"])
                    row["capm_auto"] = row[f"capm_{row['auto_kernel']}"]
                    row["speedup_vs_sklearn"] = row["sklearn"] / row["capm_auto"]
                    row["auto_over_bound"] = row["capm_auto"] / bound
                    row["best_over_bound"] = best / bound
                    rows.append(row)
                    print(f"  N={n} d={d} k={k} T={t}: capm simd {row['capm_simd']*1e3:.1f} ms, gemm "
                          f"{row['capm_gemm']*1e3:.1f} ms, sklearn {row['sklearn']*1e3:.1f} ms, bound "
                          f"{bound*1e3:.1f} ms", file=sys.stderr, flush=True)
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
    p.add_argument("--skip", nargs="*", default=[], choices=["agreement", "quality", "speed"])
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
            print("| N | d | k | kernel | iterations capm/sklearn | rel. inertia diff | rel. centroid diff | ok |")
            print("|---|---|---|---|---|---|---|---|")
            for r in results["agreement"]:
                print(f"| {r['n']} | {r['d']} | {r['k']} | {r['kernel']} | {r['capm_iterations']}/{r['sklearn_iterations']}"
                      f" | {r['rel_inertia']:.1e} | {r['rel_centroids']:.1e} | {r['ok']} |")
        if "quality" not in a.skip:
            results["quality"] = quality(a.capm, work, rng)
            print("\n## k-means++ with restarts: final inertia, capm vs sklearn")
            print("| data | k | n_init | capm | sklearn | capm/sklearn | ok |")
            print("|---|---|---|---|---|---|---|")
            for r in results["quality"]:
                print(f"| {r['data']} | {r['k']} | {r['n_init']} | {r['capm_inertia']:.6g} | {r['sklearn_inertia']:.6g}"
                      f" | {r['ratio']:.6f} | {r['ok']} |")
        if "speed" not in a.skip:
            peaks = {t: peak_gemm(t) for t in a.threads}
            bw = read_bandwidth()
            results["hardware"] = dict(dgemm_flops={str(t): v for t, v in peaks.items()}, read_bytes_per_s=bw)
            results["speed"] = speed(a.capm, work, rng, a.sizes, a.dims, a.ks, a.threads, a.iterations, peaks, bw)
            print("\n## Seconds per Lloyd iteration (median), same file and threads")
            print("Peak DGEMM " + ", ".join(f"{v/1e9:.1f} GFLOP/s ({t} thr)" for t, v in peaks.items())
                  + f"; read bandwidth {bw/1e9:.1f} GB/s (NumPy sum, 1 thread)")
            print("| N | d | k | thr | capm simd ms | capm gemm ms | auto | sklearn ms | sklearn/capm(auto) | bound ms |"
                  " auto/bound | best/bound |")
            print("|---|---|---|---|---|---|---|---|---|---|---|---|")
            for r in results["speed"]:
                print(f"| {r['n']} | {r['d']} | {r['k']} | {r['threads']} | {r['capm_simd']*1e3:.1f} | "
                      f"{r['capm_gemm']*1e3:.1f} | {r['auto_kernel']} | {r['sklearn']*1e3:.1f} | "
                      f"{r['speedup_vs_sklearn']:.2f} | {r['bound']*1e3:.1f} | {r['auto_over_bound']:.2f} | "
                      f"{r['best_over_bound']:.2f} |")
    if a.json:
        with open(a.json, "w") as f:
            json.dump(results, f, indent=2)


if __name__ == "__main__":
    main()
