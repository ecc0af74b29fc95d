#!/usr/bin/env python3
"""Compare `capm clv` with Python lifetimes 0.11.3: accuracy on CDNOW, speed on a large generated log.

Setup (once, outside the repository):
    python3 -m venv /tmp/clv-venv
    /tmp/clv-venv/bin/pip install "lifetimes==0.11.3" "pandas<2" "numpy<1.24" "scipy<1.11"
    swift build -c release
    .build/release/capm generate --customers 1000000 --seed 7 -o /tmp/tx1m.csv

Run from the repository root:
    /tmp/clv-venv/bin/python Benchmarks/scripts/clv/compare_lifetimes.py \
        --capm .build/release/capm --shared ../shared --transactions /tmp/tx1m.csv [--pareto]

Part 1 (accuracy, CDNOW 2,357 customers): both programs fit BG/NBD, Pareto/NBD, MBG/NBD and Gamma-Gamma
independently (parameters and log-likelihoods compared); then lifetimes is given capm's estimates and both
compute the per-customer predictions (P(alive), expected purchases in 52 weeks, expected spend and the
12-month CLV with lifetimes' convention: monthly periods of 4.345 weeks, end-of-period discounting at 1 % a
month), compared as maximum relative differences.

Part 2 (speed, same machine, same run): lifetimes' summary, fits and predictions on the transaction file vs.
`capm clv --timings` on the same file. Ratios = lifetimes seconds / capm seconds.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
import pandas as pd
from lifetimes import BetaGeoFitter, GammaGammaFitter, ModifiedBetaGeoFitter, ParetoNBDFitter
from lifetimes.utils import summary_data_from_transaction_data

MONTH = 4.345  # lifetimes' weeks per month for freq="W"


def run_capm(capm, args):
    started = time.perf_counter()
    proc = subprocess.run([capm, "clv", *args], capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        sys.exit(f"capm failed: {proc.stderr.strip()}")
    steps = {}
    for line in proc.stderr.splitlines():
        if line.startswith("time "):
            name, secs = line[5:].rsplit(" ", 2)[0], float(line.rsplit(" ", 2)[1])
            steps[name] = secs
    return proc.stdout, steps, elapsed


def rel(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(b), 1e-12)))


def lifetimes_ll(fitter, params, x, tx, T):
    w = np.ones(len(x))
    if isinstance(fitter, ParetoNBDFitter):
        # lifetimes' Pareto/NBD objective is the total (divided by the mean weight, 1), not the mean.
        return -fitter._negative_log_likelihood(np.asarray(params), x, tx, T, w, 0.0)
    return -fitter._negative_log_likelihood(np.log(params), x, tx, T, w, 0.0) * len(x)


def accuracy(capm, shared):
    path = os.path.join(shared, "data/cdnow/cdnow_customers_summary_with_transactions.csv")
    d = pd.read_csv(path)
    x, tx, T, m = d["x"].values, d["t_x"].values, d["T"].values, d["zbar"].values
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, cls, names in [
            ("bgnbd", BetaGeoFitter, ["r", "alpha", "a", "b"]),
            ("pareto-nbd", ParetoNBDFitter, ["r", "alpha", "s", "beta"]),
            ("mbgnbd", ModifiedBetaGeoFitter, ["r", "alpha", "a", "b"]),
        ]:
            out = os.path.join(tmp, f"{name}.csv")
            stdout, _, _ = run_capm(capm, [
                "--summary", path, "--model", name, "--spend", "gamma-gamma", "--format", "json",
                "--horizon", f"{12 * MONTH}", "--discount-rate", "0.01", "--discount-period", f"{MONTH}",
                "--timing", "end-of-period", "--output", out])
            fit = json.loads(stdout)
            ours = np.array([fit["parameters"][n] for n in names])
            lt = cls().fit(x, tx, T)
            theirs = lt.params_.values
            ll_ours = fit["logLikelihood"]
            ll_theirs = lifetimes_ll(lt, theirs, x, tx, T)
            rows.append((f"{name} parameters (independent fits)", rel(ours, theirs)))
            rows.append((f"{name} log-likelihood: capm {ll_ours:.4f} lifetimes {ll_theirs:.4f}", abs(ll_ours - ll_theirs)))
            # Same parameters from here on: lifetimes predicts with capm's estimates.
            lt.params_ = pd.Series(ours, index=names)
            gg = GammaGammaFitter().fit(x[x > 0], m[x > 0])
            g = fit["spend"]["parameters"]
            rows.append(("gamma-gamma parameters (independent fits)", rel([g["p"], g["q"], g["gamma"]], gg.params_.values)))
            gg.params_ = pd.Series([g["p"], g["q"], g["gamma"]], index=["p", "q", "v"])
            pred = pd.read_csv(out, dtype={"customer_id": str})
            horizon = 12 * MONTH
            rows.append((f"{name} P(alive)", rel(pred["p_alive"], lt.conditional_probability_alive(x, tx, T))))
            rows.append((f"{name} expected purchases ({horizon:.2f} weeks)",
                         rel(pred["expected_purchases"], lt.conditional_expected_number_of_purchases_up_to_time(horizon, x, tx, T))))
            rows.append((f"{name} expected spend", rel(pred["expected_spend"], gg.conditional_expected_average_profit(x, m))))
            clv = gg.customer_lifetime_value(lt, d["x"], d["t_x"], d["T"], d["zbar"], time=12, discount_rate=0.01, freq="W")
            rows.append((f"{name} CLV 12 months, 1 %/month", rel(pred["clv"], clv.values)))
    print("\n## Accuracy on CDNOW (2,357 customers)\n")
    print("| quantity | max relative difference (LL: absolute) |")
    print("|---|---|")
    for name, value in rows:
        print(f"| {name} | {value:.2e} |")


def speed(capm, transactions, pareto, observation_end):
    print(f"\n## Speed on {transactions}\n")
    started = time.perf_counter()
    tx = pd.read_csv(transactions, dtype={"customer_id": str}, parse_dates=["date"])
    t_read = time.perf_counter() - started
    started = time.perf_counter()
    s = summary_data_from_transaction_data(
        tx, "customer_id", "date", monetary_value_col="amount", observation_period_end=observation_end,
        freq="D", freq_multiplier=7)
    t_summary = time.perf_counter() - started
    x, rec, T, m = s["frequency"].values, s["recency"].values, s["T"].values, s["monetary_value"].values
    lt = {}
    started = time.perf_counter()
    bgf = BetaGeoFitter().fit(x, rec, T)
    lt["fit bgnbd"] = time.perf_counter() - started
    started = time.perf_counter()
    ggf = GammaGammaFitter().fit(x[x > 0], m[x > 0])
    lt["fit gamma-gamma"] = time.perf_counter() - started
    started = time.perf_counter()
    e = bgf.conditional_expected_number_of_purchases_up_to_time(52, x, rec, T)
    lt["expected purchases"] = time.perf_counter() - started
    started = time.perf_counter()
    p = bgf.conditional_probability_alive(x, rec, T)
    lt["P(alive)"] = time.perf_counter() - started
    started = time.perf_counter()
    clv = ggf.customer_lifetime_value(bgf, s["frequency"], s["recency"], s["T"], s["monetary_value"], time=12,
                                      discount_rate=0.01, freq="W")
    lt["CLV 12 months"] = time.perf_counter() - started
    if pareto:
        started = time.perf_counter()
        ParetoNBDFitter().fit(x, rec, T)
        lt["fit pareto-nbd"] = time.perf_counter() - started

    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "clv.csv")
        args = ["--transactions", transactions, "--observation-end", observation_end, "--spend", "gamma-gamma",
                "--horizon", f"{12 * MONTH}", "--discount-rate", "0.01", "--discount-period", f"{MONTH}",
                "--timing", "end-of-period", "--timings", "--format", "json", "--output", out]
        stdout, ours, total = run_capm(capm, args + ["--model", "bgnbd"])
        fit = json.loads(stdout)
        pred = pd.read_csv(out, dtype={"customer_id": str})
        if pareto:
            _, ours_p, _ = run_capm(capm, args + ["--model", "pareto-nbd"])
            ours["fit pareto-nbd"] = ours_p["fit pareto-nbd"]
    # Same summary?
    merged = pred.set_index("customer_id").join(s, rsuffix="_lt", how="inner")
    print(f"customers: lifetimes {len(s)}, capm {len(pred)}, matched {len(merged)}; "
          f"summary max |diff|: frequency {np.max(np.abs(merged.frequency - merged.frequency_lt))}, "
          f"recency {np.max(np.abs(merged.recency - merged.recency_lt)):.2e}, T {np.max(np.abs(merged['T'] - merged['T_lt'])):.2e}, "
          f"monetary {np.max(np.abs(merged.monetary_value - merged.monetary_value_lt)):.2e}")
    names = ["r", "alpha", "a", "b"]
    print("BG/NBD parameters: capm", [round(fit["parameters"][n], 5) for n in names],
          "lifetimes", [round(v, 5) for v in bgf.params_.values])
    print("\n| step | lifetimes 0.11.3 (s) | capm (s) | ratio |")
    print("|---|---|---|---|")
    print(f"| read CSV (pandas vs capm) | {t_read:.2f} | {ours.get('read transactions', float('nan')):.2f} | "
          f"{t_read / ours.get('read transactions', float('nan')):.1f}× |")
    print(f"| RFM summary | {t_summary:.2f} | {ours.get('summary', 0) + ours.get(next((k for k in ours if k.startswith('patterns')), ''), 0):.2f} (incl. pattern compression) | "
          f"{t_summary / (ours.get('summary', 0) + ours.get(next((k for k in ours if k.startswith('patterns')), ''), 0)):.1f}× |")
    # capm's Gamma-Gamma step = selecting the repeat buyers ("spend data") + the fit, as lifetimes' timed call does both.
    ours["fit gamma-gamma"] += ours.get("spend data", 0.0)
    for step in ["fit bgnbd", "fit gamma-gamma"] + (["fit pareto-nbd"] if pareto else []):
        print(f"| {step} | {lt[step]:.2f} | {ours[step]:.3f} | {lt[step] / ours[step]:.0f}× |")
    both = lt["expected purchases"] + lt["P(alive)"] + lt["CLV 12 months"]
    print(f"| predictions: expected purchases + P(alive) + 12-month CLV (capm: one pass) | {both:.2f} | {ours['predict']:.3f} | {both / ours['predict']:.0f}× |")
    print(f"| 12-month CLV alone (lifetimes) vs capm's whole prediction pass | {lt['CLV 12 months']:.2f} | {ours['predict']:.3f} | {lt['CLV 12 months'] / ours['predict']:.0f}× |")
    print(f"| capm write predictions CSV | – | {ours.get('write', float('nan')):.2f} | – |")
    print(f"\ncapm wall time for the whole command: {total:.2f} s")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--capm", default=".build/release/capm")
    ap.add_argument("--shared", default="../shared")
    ap.add_argument("--transactions", help="customer_id,date,amount file for the speed comparison")
    ap.add_argument("--observation-end", default="1998-06-30")
    ap.add_argument("--pareto", action="store_true", help="also time lifetimes' Pareto/NBD fit (slow)")
    a = ap.parse_args()
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}, numpy {np.__version__}, pandas {pd.__version__}")
    accuracy(a.capm, a.shared)
    if a.transactions:
        speed(a.capm, a.transactions, a.pareto, a.observation_end)


if __name__ == "__main__":
    main()
