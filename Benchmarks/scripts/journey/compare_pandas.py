#!/usr/bin/env python3
"""Check `capm journey` against an independent pandas implementation of the same definitions, on the same files,
and time both in one run (see Docs/journey.md, "Measured").

Checks every stage (reach, drop-off, value at stake, mean/median days to the next stage) and every moment of truth
(reach, lost, value at stake, mean and value-weighted gap, suggested max_uplift) to 1e-9 relative.

Usage (from the repository root, after `swift build -c release`):
    python3 -m venv venv && venv/bin/pip install pandas
    .build/release/capm generate --customers 100000 --seed 1 --output tx.csv --journey-output journey.csv
    .build/release/capm clv --transactions tx.csv --spend gamma-gamma --output clv.csv
    venv/bin/python Benchmarks/scripts/journey/compare_pandas.py --events journey.csv --clv clv.csv
"""
import argparse
import json
import math
import subprocess
import sys
import tempfile
import time

import numpy as np
import pandas as pd

STAGES = ["awareness", "consideration", "decision", "purchase", "post_purchase"]


def pandas_journey(events_path, clv_path, recovery, scale):
    ev = pd.read_csv(events_path, dtype={"customer_id": str, "stage": "category", "touchpoint": str, "outcome": str},
                     keep_default_na=False, na_values=[])
    ev["row"] = np.arange(len(ev))
    ev["s"] = ev["stage"].astype(str).str.lower().str.replace("-", "_").map({s: i for i, s in enumerate(STAGES)})
    ev["day"] = (pd.to_datetime(ev["date"].str.slice(0, 10)) - pd.Timestamp("1970-01-01")).dt.days
    clv = pd.read_csv(clv_path, dtype={"customer_id": str}, usecols=["customer_id", "clv"])
    imputed = clv["clv"].mean()
    value = ev[["customer_id"]].drop_duplicates().merge(clv, on="customer_id", how="left")
    missing = int(value["clv"].isna().sum())
    value["v"] = value["clv"].fillna(imputed)
    ev = ev.merge(value[["customer_id", "v"]], on="customer_id", how="left")
    furthest = ev.groupby("customer_id")["s"].max().rename("f")
    ev = ev.join(furthest, on="customer_id")

    # Lost: last event (date, row) at the furthest stage; at post_purchase only events with outcome 'churned'.
    pre = ev[(ev["s"] == ev["f"]) & (ev["f"] < 4)]
    post = ev[(ev["s"] == 4) & (ev["outcome"].str.lower() == "churned")] if "outcome" in ev else ev.iloc[0:0]
    lost = pd.concat([pre, post]).sort_values(["customer_id", "day", "row"]).groupby("customer_id").tail(1)

    stages = []
    first = ev.groupby(["customer_id", "s"])["day"].min().unstack()
    for s, name in enumerate(STAGES):
        reach = int(ev.loc[ev["s"] == s, "customer_id"].nunique())
        ls = lost[lost["s"] == s]
        row = {"stage": name, "reach": reach, "drop_off": len(ls), "value_at_stake": float(ls["v"].sum())}
        if s < 4 and s in first and s + 1 in first:
            d = (first[s + 1] - first[s]).dropna()
            row["days"] = (len(d), float(d.mean()) if len(d) else None, float(d.median()) if len(d) else None)
        stages.append(row)

    moments = {}
    ev["gap"] = ev["expected_score"] - ev["experienced_score"]
    ev["wgap"] = ev["gap"] * ev["v"]
    g = ev.groupby(["s", "touchpoint"])
    reach = g["customer_id"].nunique()
    gap = g["gap"].mean()
    wsum, vsum = g["wgap"].sum(), g["v"].sum()
    lg = lost.groupby(["s", "touchpoint"])
    lcount, lvalue = lg.size(), lg["v"].sum()
    for key in reach.index:
        w = wsum[key] / vsum[key] if vsum[key] > 0 else None
        stake = float(lvalue.get(key, 0.0))
        factor = min(1.0, max(0.0, (w if w is not None else gap[key])) / scale)
        moments[(STAGES[key[0]], key[1])] = {
            "reach": int(reach[key]), "lost": int(lcount.get(key, 0)), "value_at_stake": stake,
            "mean_gap": float(gap[key]), "weighted_gap": w, "max_uplift": max(0.0, stake) * recovery * factor}
    return stages, moments, missing


def close(a, b, rel=1e-9):
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= rel * max(1.0, abs(a), abs(b))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--events", required=True)
    p.add_argument("--clv", required=True)
    p.add_argument("--capm", default=".build/release/capm")
    p.add_argument("--recovery", type=float, default=0.3)
    p.add_argument("--score-scale", type=float, default=10)
    a = p.parse_args()

    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        t0 = time.perf_counter()
        subprocess.run([a.capm, "journey", "--events", a.events, "--clv", a.clv, "--format", "json", "--output", out.name,
                        "--recovery", str(a.recovery), "--score-scale", str(a.score_scale)], check=True)
        capm_seconds = time.perf_counter() - t0
        result = json.load(open(out.name))
    t0 = time.perf_counter()
    stages, moments, missing = pandas_journey(a.events, a.clv, a.recovery, a.score_scale)
    pandas_seconds = time.perf_counter() - t0

    failures = 0
    def check(what, ok):
        nonlocal failures
        if not ok:
            failures += 1
            print("MISMATCH", what)

    check("missing value count", result["coverage"]["missing_value"] == missing)
    for mine, ref in zip(result["stages"], stages):
        name = ref["stage"]
        check(f"{name} reach", mine["reach"] == ref["reach"])
        check(f"{name} drop-off", mine["drop_off"] == ref["drop_off"])
        check(f"{name} value at stake", close(mine["value_at_stake"], ref["value_at_stake"]))
        if "days" in ref and ref["days"][0] > 0:
            t = mine["days_to_next_stage"]
            check(f"{name} days", t["customers"] == ref["days"][0] and close(t["mean_days"], ref["days"][1])
                  and close(t["median_days"], ref["days"][2]))
    check("moment count", len(result["moments"]) == len(moments))
    for m in result["moments"]:
        ref = moments[(m["stage"], m["touchpoint"])]
        key = f'{m["stage"]}/{m["touchpoint"]}'
        check(f"{key} reach", m["reach"] == ref["reach"])
        check(f"{key} lost", m["lost"] == ref["lost"])
        check(f"{key} value at stake", close(m["value_at_stake"], ref["value_at_stake"]))
        check(f"{key} mean gap", close(m["gap"]["mean_gap"], ref["mean_gap"]))
        check(f"{key} weighted gap", close(m["gap"].get("value_weighted_gap"), ref["weighted_gap"]))
        check(f"{key} max uplift", close(m["suggested_max_uplift"], ref["max_uplift"]))
    events = result["coverage"]["events"]
    print(f"events {events}, customers {result['coverage']['journey_customers']}, moments {len(moments)}")
    print(f"capm journey (whole command) {capm_seconds:.2f} s; pandas {pandas_seconds:.2f} s; "
          f"ratio pandas/capm {pandas_seconds / capm_seconds:.1f}")
    print("all figures agree to 1e-9" if failures == 0 else f"{failures} mismatches")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
