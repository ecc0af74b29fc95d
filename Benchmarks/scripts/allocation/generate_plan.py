#!/usr/bin/env python3
"""Writes a synthetic allocation plan (CAPM plan format, YAML) of a given shape:
S segments (labels cycling champions/at_risk/promising/dormant) x M moments (over the five stages, one channel
each among C channels), every cell a saturating curve linearized into K pieces, created by templates (one per
label x moment). Constraints: per-moment floor and cap (ranged rows), per-stage caps, per-segment caps, an ROI
floor and (with --shares) channel share caps.

Usage: generate_plan.py --segments 1000 --moments 50 --pieces 10 [--channels 10] [--seed 1] [--shares] > plan.yaml
"""
import argparse, random

STAGES = ["awareness", "consideration", "decision", "purchase", "post_purchase"]
LABELS = ["champions", "at_risk", "promising", "dormant"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--segments", type=int, default=10)
    ap.add_argument("--moments", type=int, default=20)
    ap.add_argument("--pieces", type=int, default=5)
    ap.add_argument("--channels", type=int, default=10)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--shares", action="store_true")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    out = ["version: 1", f"name: synthetic {a.segments}x{a.moments}x{a.pieces}", "currency: USD",
           f"options: {{pieces: {a.pieces}, saturation: 0.98}}", "segments:"]
    total_value = 0.0
    seg_customers = []
    for s in range(a.segments):
        label = LABELS[s % 4]
        n = rng.randint(500, 20000)
        clv = round(rng.uniform(40, 1500) * (2.0 if label in ("champions", "at_risk") else 1.0), 2)
        seg_customers.append((n, clv))
        total_value += n * clv
        out.append(f"  - {{id: s{s}, label: {label}, customers: {n}, clv: {clv}}}")
    out.append("moments:")
    for m in range(a.moments):
        out.append(f"  - {{id: m{m}, stage: {STAGES[m * 5 // a.moments]}}}")
    out.append("channels:")
    for c in range(a.channels):
        out.append(f"  - {{id: ch{c}, unit_cost: {round(rng.uniform(0.01, 2.0), 3)}}}")
    out.append("templates:")
    for m in range(a.moments):
        for label in LABELS:
            f = round(rng.uniform(0.002, 0.02), 4)
            scale = round(rng.uniform(1.0, 10.0), 3)
            cur = round(scale * rng.uniform(0.0, 0.8), 3)
            out.append(f"  - {{label: {label}, moment: m{m}, channel: ch{m % a.channels}, uplift_fraction: {f}, "
                       f"scale_per_customer: {scale}, current_per_customer: {cur}}}")
    # Budget: about a third of the total spend the curves can take.
    approx_capacity = sum(n for n, _ in seg_customers) * a.moments * 5.5 * 3.9
    budget = round(approx_capacity / 3, -3)
    out.insert(3, f"budget: {{amount: {budget}}}")
    out.append("constraints:")
    per_moment = budget / a.moments
    for m in range(a.moments):
        out.append(f"  - {{moment: m{m}, min: {round(0.2 * per_moment)}, max: {round(3 * per_moment)}}}")
    for st in STAGES:
        out.append(f"  - {{stage: {st}, max: {round(0.35 * budget)}}}")
    for s in range(a.segments):
        out.append(f"  - {{segment: s{s}, max: {round(rng.uniform(1.0, 4.0) * budget / a.segments)}}}")
    out.append("  - {roi_floor: 1.2}")
    if a.shares:
        for c in range(min(3, a.channels)):
            out.append(f"  - {{channel: ch{c}, max_share: 0.2}}")
    print("\n".join(out))


if __name__ == "__main__":
    main()
