// Fused Lloyd pass (see CKMeansKernels.h). Written from the definitions: expanded squared distance
// ‖c‖² − 2·x·c, lowest-index arg-min, running cluster sums of centred rows.
//
// AVX2 kernel (Double): 4 rows × 8 centroids per step = 8 YMM accumulators; per feature j one broadcast of xᵢⱼ per
// row and two loads of the panel column −2·c_{·j}, 8 FMAs. The 4 × 8 distance tile is transposed (two 4 × 4
// transposes) so that each vector holds the 4 rows' distances to one centroid; a tree of vertical compare/min/blend
// steps gives the group's minimum and its index per row, merged into the running minimum of earlier groups — no
// horizontal reduction per row; for d ≤ 8 the rows go in the lanes instead (transposed once per 4 rows, no tile
// transposes; same arithmetic, same labels). Float: 8 rows × 8 centroids (8 accumulators), one 8 × 8 transpose; for k > 8 and
// d ≥ 16, 4 rows × 16 centroids (two groups, 8 accumulators, half transposes); for k ≤ 8 and d ≥ 24, 4 rows × 8
// centroids with two features per FMA (pair tile, interleaved panel). Labels are
// computed a 64-row batch ahead of the sum updates (software pipelining) and stored eight at a time once the batch is
// recorded, rows are prefetched 16 KB ahead (into L2), the unweighted update pass is compiled for common feature counts
// and, for k ≤ 8, counts its rows in a register — or, Double with d ≥ 8 and k ≤ 16 (Float: d = 32 and k ≤ 16), records
// each cluster's rows of a batch with the cluster's sums in registers (see Docs/segmentation.md, "The fused Lloyd
// pass").
// For k ≥ 32 and k·d ≥ 512 the Double pass finds its labels through a Float screen (the Float 4 × 16 tile on rows
// centred and rounded on the fly, with a rigorous error bound; undecided rows go to the Double tile), which leaves
// every label as the Double tile alone would set it (see CKMeansKernels.h, "Float screen").
// A changes-only update pass (`changes_only`, from the second Lloyd pass on) records just the rows whose label changes,
// moving them from the sums of their previous cluster to those of the new one (`move_row`).
// The Float 8 × 8 pass also has an AVX-512VL copy, used for k ≤ 8 below d = 24 where the CPU has it (same bits).
// Arithmetic is not contracted outside the explicit FMAs (FP_CONTRACT OFF), so the sums are the same sequence of
// roundings in every path: Σ in row order of (xᵢⱼ − μⱼ) (or wᵢ·(xᵢⱼ − μⱼ)); in the Float pass without weights, Float
// sums of each window of CAPM_KMEANS_WINDOW rows in row order, added to the Double sums window by window.
#include "CKMeansKernels.h"

#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>

#pragma STDC FP_CONTRACT OFF

// ---------------------------------------------------------------------------------------------------------------
// Shared scalar pieces.

/// wᵢ Σⱼ (xᵢⱼ − cⱼ)² in feature order (difference form: no cancellation).
static inline double record_exact(const double *c, const double *row, size_t d, double w) {
    double dist = 0;
    for (size_t j = 0; j < d; j++) {
        const double t = row[j] - c[j];
        dist += t * t;
    }
    return w * dist;
}

/// A changes-only update pass (`changes_only`): moves row i's term `term(j)` from the sums of `old` (when a cluster
/// index) to those of `label`, element by element (subtract, then add), and its unit weight likewise. Nothing for a
/// row whose label stays.
#define CAPM_MOVE_ROW(sums, weights, d, k, old, label, term)                                                       \
    do {                                                                                                           \
        if ((old) == (label)) break;                                                                               \
        double *to_ = (sums) + (size_t)(label) * (d);                                                              \
        double *from_ = (uint32_t)(old) < (k) ? (sums) + (size_t)(old) * (d) : NULL;                               \
        for (size_t j = 0; j < (d); j++) {                                                                         \
            const double t_ = term(j);                                                                             \
            if (from_) from_[j] -= t_;                                                                             \
            to_[j] += t_;                                                                                          \
        }                                                                                                          \
        if (from_) (weights)[old] -= 1.0;                                                                          \
        (weights)[label] += 1.0;                                                                                   \
    } while (0)

/// Adds row `i` (label `label`) to the update-pass sums, or returns its weighted exact squared distance.
static inline double record_scalar_f64(const capm_kmeans_pass *p, size_t i, const double *row, int32_t label,
                                       int64_t *changed) {
    const size_t d = p->d;
    *changed += p->labels[i] != label;
    if (p->sums && p->changes_only) {
#define CAPM_CENTRED_TERM(j) (row[j] - p->mean[j])
        CAPM_MOVE_ROW(p->sums, p->cluster_weights, d, p->k, p->labels[i], label, CAPM_CENTRED_TERM);
#undef CAPM_CENTRED_TERM
        p->labels[i] = label;
        return 0;
    }
    p->labels[i] = label;
    const double w = p->weights ? p->weights[i] : 1.0;
    if (p->sums) {
        double *s = p->sums + (size_t)label * d;
        if (p->weights) {
            for (size_t j = 0; j < d; j++) s[j] += w * (row[j] - p->mean[j]);
        } else {
            for (size_t j = 0; j < d; j++) s[j] += row[j] - p->mean[j];
        }
        p->cluster_weights[label] += w;
        return 0;
    }
    if (!p->centroids) return 0;
    return record_exact(p->centroids + (size_t)label * d, row, d, w);
}

static inline double record_scalar_f32(const capm_kmeans_pass *p, size_t i, const float *row, int32_t label,
                                       int64_t *changed) {
    const size_t d = p->d;
    *changed += p->labels[i] != label;
    if (p->sums && p->changes_only) {
#define CAPM_FLOAT_TERM(j) ((double)row[j])
        CAPM_MOVE_ROW(p->sums, p->cluster_weights, d, p->k, p->labels[i], label, CAPM_FLOAT_TERM);
#undef CAPM_FLOAT_TERM
        p->labels[i] = label;
        return 0;
    }
    p->labels[i] = label;
    const double w = p->weights ? p->weights[i] : 1.0;
    if (p->sums) {
        if (p->weights) {
            double *s = p->sums + (size_t)label * d;
            for (size_t j = 0; j < d; j++) s[j] += w * (double)row[j];
        } else {
            float *s = p->partial32 + (size_t)label * d;
            for (size_t j = 0; j < d; j++) s[j] += row[j];
        }
        p->cluster_weights[label] += w;
        return 0;
    }
    if (!p->centroids) return 0;
    const double *c = p->centroids + (size_t)label * d;
    double dist = 0;
    for (size_t j = 0; j < d; j++) {
        const double t = (double)row[j] - c[j];
        dist += t * t;
    }
    return w * dist;
}

/// End of a window of a Float update pass without weights: adds the Float partial sums to the Double sums in
/// element order and clears them (untouched clusters hold 0, which leaves their sums unchanged).
static void flush_partials(double *sums, float *partial, size_t count) {
    for (size_t e = 0; e < count; e++) {
        sums[e] += (double)partial[e];
        partial[e] = 0;
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Portable C: one row, one centroid at a time; a = ‖c‖² + Σⱼ xⱼ·(−2cⱼ) in feature order, strict < (lowest index wins).

static capm_kmeans_result pass_f64_portable(const capm_kmeans_pass *p) {
    const size_t d = p->d, k = p->k, stride = (d + 1) * 8;
    capm_kmeans_result r = {0, 0};
    for (size_t i = 0; i < p->rows; i++) {
        const double *x = p->x64 + i * d;
        double best = INFINITY;
        int32_t label = 0;
        for (size_t c = 0; c < k; c++) {
            const double *q = p->panel64 + (c / 8) * stride + (c % 8);
            double a = q[0];
            for (size_t j = 0; j < d; j++) a += x[j] * q[8 + 8 * j];
            if (a < best) {
                best = a;
                label = (int32_t)c;
            }
        }
        r.inertia += record_scalar_f64(p, i, x, label, &r.changed);
    }
    return r;
}

static capm_kmeans_result pass_f32_portable(const capm_kmeans_pass *p) {
    const size_t d = p->d, k = p->k, stride = (d + 1) * 8;
    capm_kmeans_result r = {0, 0};
    for (size_t i = 0; i < p->rows; i++) {
        const float *x = p->x32 + i * d;
        float best = INFINITY;
        int32_t label = 0;
        for (size_t c = 0; c < k; c++) {
            const float *q = p->panel32 + (c / 8) * stride + (c % 8);
            float a = q[0];
            for (size_t j = 0; j < d; j++) a += x[j] * q[8 + 8 * j];
            if (a < best) {
                best = a;
                label = (int32_t)c;
            }
        }
        r.inertia += record_scalar_f32(p, i, x, label, &r.changed);
        if (p->sums && !p->weights && !p->changes_only && ((i + 1) % CAPM_KMEANS_WINDOW == 0 || i + 1 == p->rows))
            flush_partials(p->sums, p->partial32, k * d);
    }
    return r;
}

// ---------------------------------------------------------------------------------------------------------------
// AVX2 + FMA.

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <cpuid.h>
#include <immintrin.h>

#include "transpose_avx2.h"
#define CAPM_KMEANS_HAVE_AVX2_CODE 1

/// Rows whose labels are computed before any of them is recorded (a multiple of 8; the batch stays in L1).
#define CAPM_BATCH 64
/// How far ahead of the micro-kernel rows are prefetched, in bytes (16 KB: measured alike for 4–64 KB at d ≥ 16).
#define CAPM_PREFETCH 16384
/// Where the prefetched rows go: L2 (T1). Into L1 (T0) they had helped on the Zen 3 machine this was first tuned on
/// (against no prefetch), but on the Zen 4 machine (32 KB L1D, 1 MB L2) they made the Double update pass nearly
/// twice as slow at d = 32, where a batch of 64 rows is 16 KB (why exactly was not established: without a PMU the
/// misses cannot be counted; the record step re-reading the previous batch is the part that slowed). Standalone
/// harness, 1M-row update pass, interleaved, ns per row, T0 → T1: Double d = 32, k = 8 29–31 → 15–16.5; d = 16,
/// k = 8 9.9–10.2 → 8.1–9.4; Float d = 32, k = 8 11.9–12.8 → 9.6–10.9; d = 16, k = 8 5.9–7.8 → 5.1–7.3; k = 32
/// alike (compute-bound). With T1 the distance mattered little (8–24 KB alike).
#define CAPM_PREFETCH_HINT _MM_HINT_T1

static int detect_avx2(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    const int fma = (c >> 12) & 1, osxsave = (c >> 27) & 1, avx = (c >> 28) & 1;
    if (!(fma && osxsave && avx)) return 0;
    // The OS must save the XMM and YMM state (XCR0 bits 1 and 2).
    unsigned lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    if ((lo & 6) != 6) return 0;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
    return (b >> 5) & 1;
}

/// `detect()`, run once per `slot` (−1: not yet; concurrent first calls may both detect, with the same answer).
static int detected(_Atomic int *slot, int (*detect)(void)) {
    int v = atomic_load_explicit(slot, memory_order_relaxed);
    if (v < 0) {
        v = detect();
        atomic_store_explicit(slot, v, memory_order_relaxed);
    }
    return v;
}

int capm_kmeans_avx2_available(void) {
    static _Atomic int cached = -1;
    return detected(&cached, detect_avx2);
}

/// AVX-512F and AVX-512VL on the CPU (CPUID 7: EBX bits 16 and 31) with the opmask and upper ZMM state saved by the
/// OS (XCR0 bits 5–7), on top of AVX2.
static int detect_avx512vl(void) {
    if (!capm_kmeans_avx2_available()) return 0;
    unsigned a, b, c, d, lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    if ((lo & 0xe6) != 0xe6) return 0;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
    return ((b >> 16) & 1) && ((b >> 31) & 1);
}

static _Atomic int avx512_disabled = 0;

void capm_kmeans_allow_avx512(int allowed) {
    atomic_store_explicit(&avx512_disabled, !allowed, memory_order_relaxed);
}

int capm_kmeans_avx512vl_available(void) {
    static _Atomic int cached = -1;
    return detected(&cached, detect_avx512vl) && !atomic_load_explicit(&avx512_disabled, memory_order_relaxed);
}

/// Where the rows' contributions go: the cluster sums (update pass) or the exact distances (final pass).
/// Fields copied out of the pass so the hot loop keeps them in registers.
typedef struct sink {
    int32_t *labels;
    const double *mean, *weights, *centroids;
    double *sums, *counts;
    float *partial;
    /// Unweighted update pass with k ≤ 8: the rows per cluster of the current batch, one byte per cluster
    /// (cluster c in bits 8c…8c+7), added to `counts` at the end of each batch (see `count_row`).
    uint64_t packed;
    int64_t changed;
    double inertia;
    /// Number of clusters (a changes-only pass checks a row's label on entry against it).
    size_t k;
} sink;

static inline sink make_sink(const capm_kmeans_pass *p) {
    sink s = {p->labels, p->mean, p->weights, p->centroids, p->sums, p->cluster_weights, p->partial32, 0, 0, 0, p->k};
    return s;
}

#if CAPM_BATCH > 255
#error "a batch's per-cluster row count must fit in one byte"
#endif

/// Counts one unweighted row of cluster `label`. With `packed` (a compile-time constant, set only when k ≤ 8) the
/// count goes to a byte of a register instead of `counts[label] += 1` in memory: per row a shift and an integer add
/// instead of a load, a Double add and a store that chains through memory with the previous row of the same
/// cluster (measured: 1M × 16, k = 8, Float, together with `commit_labels`: 7.33 → 6.43 ns per row; as a run-time
/// choice 6.66). The counts are whole numbers, so the Double sums come out the same.
static inline void count_row(sink *o, int32_t label, const int packed) {
    if (packed)
        o->packed += (uint64_t)1 << (8 * (unsigned)label);
    else
        o->counts[label] += 1.0;
}

/// End of a batch: adds the packed per-cluster counts of its rows to `counts` (see `count_row`).
static inline void flush_counts(sink *o, size_t k, const int packed) {
    if (!packed) return;
    for (size_t c = 0; c < k; c++) o->counts[c] += (double)((o->packed >> (8 * c)) & 0xff);
    o->packed = 0;
}

/// Stores the labels of `n` rows from `start` on, computed into `batch`, and counts those that changed: eight
/// rows per compare (in place of a load, a compare and a store per row inside the record step).
__attribute__((target("avx2,fma"), always_inline)) static inline void commit_labels(sink *o, size_t start,
                                                                                 const int32_t *batch, size_t n) {
    int32_t *dst = o->labels + start;
    size_t t = 0;
    for (; t + 8 <= n; t += 8) {
        const __m256i now = _mm256_loadu_si256((const __m256i *)(batch + t));
        const __m256i same = _mm256_cmpeq_epi32(now, _mm256_loadu_si256((const __m256i *)(dst + t)));
        o->changed += 8 - __builtin_popcount((unsigned)_mm256_movemask_ps(_mm256_castsi256_ps(same)));
        _mm256_storeu_si256((__m256i *)(dst + t), now);
    }
    for (; t < n; t++) {
        o->changed += dst[t] != batch[t];
        dst[t] = batch[t];
    }
}

/// What a pass does with a row once its label is known (CAPM_CHANGES: an unweighted changes-only update pass, see
/// `changes_only`).
enum { CAPM_ASSIGN = 0, CAPM_EXACT = 1, CAPM_UPDATE = 2, CAPM_CHANGES = 3 };

/// A changes-only pass's record of a row whose label goes from `old` to `label` (see `changes_only`): its term —
/// x − μ from the Double row `x64`, or the centred Float row `x32` in Double — subtracted from the sums of `old`
/// (when a cluster index) and added to those of `label`, vector-wise with the same roundings per element as
/// `CAPM_MOVE_ROW` in the portable pass; the unit weight likewise.
__attribute__((target("avx2,fma"), always_inline)) static inline void move_row(sink *o, int32_t old, int32_t label,
                                                                            const double *x64, const float *x32,
                                                                            const size_t d) {
    if (old == label) return;
    double *to = o->sums + (size_t)label * d;
    double *from = (uint32_t)old < o->k ? o->sums + (size_t)old * d : NULL;
    const double *m = o->mean;
    size_t j = 0;
    for (; j + 4 <= d; j += 4) {
        const __m256d t = x64 ? _mm256_sub_pd(_mm256_loadu_pd(x64 + j), _mm256_loadu_pd(m + j))
                              : _mm256_cvtps_pd(_mm_loadu_ps(x32 + j));
        if (from) _mm256_storeu_pd(from + j, _mm256_sub_pd(_mm256_loadu_pd(from + j), t));
        _mm256_storeu_pd(to + j, _mm256_add_pd(_mm256_loadu_pd(to + j), t));
    }
    for (; j < d; j++) {
        const double t = x64 ? x64[j] - m[j] : (double)x32[j];
        if (from) from[j] -= t;
        to[j] += t;
    }
    if (from) o->counts[old] -= 1.0;
    o->counts[label] += 1.0;
}

/// A changes-only pass's record of a batch (`n` rows from `start`, new labels in `batch`), before its labels are
/// stored: the rows whose label differs from the one in `labels`, found eight at a time, moved in row order
/// (`move_row`; `x64` or `x32`: the pass's rows), in every pass (plain and screened); a step then records nothing
/// row by row.
__attribute__((target("avx2,fma"), always_inline)) static inline void move_changed(sink *o, size_t start,
                                                                                const int32_t *batch, size_t n,
                                                                                const double *x64,
                                                                                const float *x32, size_t d) {
    const int32_t *old = o->labels + start;
    size_t t = 0;
    for (; t + 8 <= n; t += 8) {
        const __m256i same = _mm256_cmpeq_epi32(_mm256_loadu_si256((const __m256i *)(batch + t)),
                                                _mm256_loadu_si256((const __m256i *)(old + t)));
        unsigned moved = ~(unsigned)_mm256_movemask_ps(_mm256_castsi256_ps(same)) & 0xffu;
        while (moved) {
            const size_t r = t + (size_t)__builtin_ctz(moved);
            moved &= moved - 1;
            move_row(o, old[r], batch[r], x64 ? x64 + (start + r) * d : NULL, x32 ? x32 + (start + r) * d : NULL, d);
        }
    }
    for (; t < n; t++)
        if (old[t] != batch[t])
            move_row(o, old[t], batch[t], x64 ? x64 + (start + t) * d : NULL, x32 ? x32 + (start + t) * d : NULL, d);
}

/// Records row `i` with label `label`: add it to the sums (CAPM_UPDATE), optionally weighted (`weighted`), or add
/// its exact squared distance to the inertia (CAPM_EXACT), or nothing (CAPM_ASSIGN); the labels themselves are
/// stored batch by batch (`commit_labels`). The sums are added
/// vector-wise over features with the same rounding sequence as the scalar form. `mode` and
/// `weighted` are compile-time constants at every call site (the kernels are instantiated per mode).
__attribute__((target("avx2,fma"), always_inline)) static inline void record_f64(sink *o, size_t i, const double *row,
                                                                              int32_t label, const int mode,
                                                                              const int weighted, const size_t d,
                                                                              const int packed) {
    if (mode == CAPM_ASSIGN) return;
    if (mode == CAPM_EXACT) {
        o->inertia += record_exact(o->centroids + (size_t)label * d, row, d, weighted ? o->weights[i] : 1.0);
        return;
    }
    // A changes-only pass records nothing row by row: its batch's moved rows go at once (`move_changed`).
    if (mode == CAPM_CHANGES) return;
    double *s = o->sums + (size_t)label * d;
    const double *m = o->mean;
    size_t j = 0;
    if (weighted) {
        const double w = o->weights[i];
        const __m256d wv = _mm256_set1_pd(w);
        for (; j + 4 <= d; j += 4) {
            const __m256d t = _mm256_sub_pd(_mm256_loadu_pd(row + j), _mm256_loadu_pd(m + j));
            _mm256_storeu_pd(s + j, _mm256_add_pd(_mm256_loadu_pd(s + j), _mm256_mul_pd(wv, t)));
        }
        for (; j < d; j++) s[j] += w * (row[j] - m[j]);
        o->counts[label] += w;
    } else {
        for (; j + 4 <= d; j += 4) {
            const __m256d t = _mm256_sub_pd(_mm256_loadu_pd(row + j), _mm256_loadu_pd(m + j));
            _mm256_storeu_pd(s + j, _mm256_add_pd(_mm256_loadu_pd(s + j), t));
        }
        for (; j < d; j++) s[j] += row[j] - m[j];
        count_row(o, label, packed);
    }
}

__attribute__((target("avx2,fma"), always_inline)) static inline void record_f32(sink *o, size_t i, const float *row,
                                                                              int32_t label, const int mode,
                                                                              const int weighted, const size_t d,
                                                                              const int packed) {
    if (mode == CAPM_ASSIGN) return;
    if (mode == CAPM_EXACT) {
        const double *c = o->centroids + (size_t)label * d;
        double dist = 0;
        for (size_t j = 0; j < d; j++) {
            const double t = (double)row[j] - c[j];
            dist += t * t;
        }
        o->inertia += (weighted ? o->weights[i] : 1.0) * dist;
        return;
    }
    size_t j = 0;
    if (weighted) {
        double *s = o->sums + (size_t)label * d;
        const double w = o->weights[i];
        const __m256d wv = _mm256_set1_pd(w);
        for (; j + 4 <= d; j += 4) {
            const __m256d t = _mm256_cvtps_pd(_mm_loadu_ps(row + j));
            _mm256_storeu_pd(s + j, _mm256_add_pd(_mm256_loadu_pd(s + j), _mm256_mul_pd(wv, t)));
        }
        for (; j < d; j++) s[j] += w * (double)row[j];
        o->counts[label] += w;
    } else {
        // Float partial sums of the window (see capm_kmeans_pass_f32): one add per 8 features, no conversion.
        float *s = o->partial + (size_t)label * d;
        for (; j + 8 <= d; j += 8)
            _mm256_storeu_ps(s + j, _mm256_add_ps(_mm256_loadu_ps(s + j), _mm256_loadu_ps(row + j)));
        for (; j < d; j++) s[j] += row[j];
        count_row(o, label, packed);
    }
}

/// Largest vectors per row a grouped record keeps in registers (`record_group_f64`).
#define CAPM_GROUP_MAX_VECTORS 8

/// Most clusters a grouped record handles (`cluster_masks`, `record_group_f64`).
#define CAPM_GROUP_MAX_K 16

/// One bit per row of a full batch for each of 8 clusters: `hot` holds 1 << (label − first) per row as 32-bit lanes
/// (0 for rows of other clusters); packed to 64 bytes in row order, each cluster's bits are one byte-sign mask:
/// bit 7 of every byte is cluster first + 7's, and adding each byte to itself brings the next lower cluster's bit
/// up.
__attribute__((target("avx2,fma"), always_inline)) static inline void byte_masks(const __m256i hot[8],
                                                                               uint64_t masks[8]) {
    const __m256i order = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7);
    __m256i bytes[2];
    for (size_t half = 0; half < 2; half++) {
        const __m256i *h = hot + 4 * half;
        // Packing works per 128-bit lane: the dwords (4 rows each) come out as row groups 0 2 4 6 1 3 5 7.
        const __m256i packed = _mm256_packus_epi16(_mm256_packus_epi32(h[0], h[1]), _mm256_packus_epi32(h[2], h[3]));
        bytes[half] = _mm256_permutevar8x32_epi32(packed, order);
    }
    for (size_t c = 8; c-- > 0;) {
        masks[c] = (uint64_t)(uint32_t)_mm256_movemask_epi8(bytes[0]) |
                   (uint64_t)(uint32_t)_mm256_movemask_epi8(bytes[1]) << 32;
        bytes[0] = _mm256_add_epi8(bytes[0], bytes[0]);
        bytes[1] = _mm256_add_epi8(bytes[1], bytes[1]);
    }
}

/// The rows of each cluster in a batch of `n` ≤ CAPM_BATCH labels: bit r of `masks[c]` is set when row r has label
/// c (labels < k ≤ CAPM_GROUP_MAX_K). A full batch takes each label's one-hot bits, 1 << label, eight clusters per
/// byte (`byte_masks`): a few vector operations per batch instead of a compare per label and cluster.
__attribute__((target("avx2,fma"), always_inline)) static inline void cluster_masks(const int32_t *labels, size_t n,
                                                                                  size_t k,
                                                                                  uint64_t masks[CAPM_GROUP_MAX_K]) {
    if (n == CAPM_BATCH) {
        const __m256i one = _mm256_set1_epi32(1), low = _mm256_set1_epi32(0xff);
        __m256i hot[8], part[8];
        for (size_t b = 0; b < 8; b++)
            hot[b] = _mm256_sllv_epi32(one, _mm256_loadu_si256((const __m256i *)(labels + 8 * b)));
        for (size_t b = 0; b < 8; b++) part[b] = _mm256_and_si256(hot[b], low);
        byte_masks(part, masks);
        if (k > 8) {
            for (size_t b = 0; b < 8; b++) part[b] = _mm256_srli_epi32(hot[b], 8);
            byte_masks(part, masks + 8);
        }
        return;
    }
    for (size_t c = 0; c < CAPM_GROUP_MAX_K; c++) masks[c] = 0;
    for (size_t t = 0; t < n; t++) masks[labels[t]] |= (uint64_t)1 << t;
}

/// The body of `record_group_f64` and `record_group_f32`, in a function with parameters `o`, `c`, `mask`, `base`
/// and `d`: the rows `mask` selects are added in row order to cluster `c`'s sums `SUMS` (T, LANES per vector VEC),
/// held in registers for the batch; `TERM(row, v)` is what vector v of a row adds. The count is the mask's
/// population.
#define CAPM_RECORD_GROUP(T, VEC, LANES, SUMS, LOADU, STOREU, ADD, TERM)                                            \
    do {                                                                                                           \
        if (!mask) return;                                                                                         \
        T *sums_ = (SUMS) + c * d;                                                                                 \
        const size_t vectors_ = d / (LANES);                                                                       \
        VEC acc_[CAPM_GROUP_MAX_VECTORS];                                                                          \
        for (size_t v = 0; v < vectors_; v++) acc_[v] = LOADU(sums_ + (LANES) * v);                                \
        o->counts[c] += (double)__builtin_popcountll(mask);                                                        \
        while (mask) {                                                                                             \
            const T *row_ = base + (size_t)__builtin_ctzll(mask) * d;                                              \
            mask &= mask - 1;                                                                                      \
            for (size_t v = 0; v < vectors_; v++) acc_[v] = ADD(acc_[v], TERM(row_, v));                           \
        }                                                                                                          \
        for (size_t v = 0; v < vectors_; v++) STOREU(sums_ + (LANES) * v, acc_[v]);                                \
    } while (0)

/// Records the rows `mask` selects (bit r: the row `base` + r·d) for cluster `c` of an unweighted update pass, in
/// row order, with the cluster's sums held in registers: each sum vector is loaded and stored once per batch
/// instead of once per row, and the count is the mask's population. The additions are the same as `record_f64`'s,
/// in the same order (a cluster's sums see only its own rows), so the bits are the same. Used for k ≤ 16 and
/// d ≥ 8 (perf, 1M-row update pass, ns per row: k = 8, d = 8 6.74 → 5.96, d = 16 10.55 → 9.14, d = 32 20.1 → 17.6;
/// k = 12, d = 8 11.86 → 10.12, d = 16 19.56 → 17.19; k = 16, d = 16 18.12 → 17.12, d = 32 32.52 → 29.58; not at
/// d = 4: 4.22 → 4.31). The cluster's loop ends on a data-dependent branch, which is why the Float pass, whose row
/// record is two vector adds at d = 16, measured slower with it below d = 32 (`record_group_f32`).
__attribute__((target("avx2,fma"), always_inline)) static inline void record_group_f64(sink *o, size_t c, uint64_t mask,
                                                                                     const double *base,
                                                                                     const size_t d) {
    const double *m = o->mean;
#define CAPM_CENTRED_ROW_PD(row, v) _mm256_sub_pd(_mm256_loadu_pd((row) + 4 * (v)), _mm256_loadu_pd(m + 4 * (v)))
    CAPM_RECORD_GROUP(double, __m256d, 4, o->sums, _mm256_loadu_pd, _mm256_storeu_pd, _mm256_add_pd,
                      CAPM_CENTRED_ROW_PD);
#undef CAPM_CENTRED_ROW_PD
}

/// The Float counterpart of `record_group_f64` for an unweighted update pass: the rows `mask` selects are added in
/// row order to cluster `c`'s Float partial sums of the window (see `capm_kmeans_pass_f32`), held in registers for
/// the batch; the same additions in the same order as `record_f32`, so the same bits. Used at d = 32 only (the pair
/// tile for k ≤ 8, the 4 × 16 tile for 9 ≤ k ≤ 16): standalone harness on the Zen 4 machine, 1M-row update pass,
/// interleaved, ns per row: d = 32, k = 8 10.1–10.4 → 8.8–9.7; k = 12 14.96–17.8 → 14.0–17.6 (fastest 14.96 →
/// 13.99); k = 16 14.8–18.2 → 14.5–19.6 (fastest 14.79 → 14.54); slower at d = 16, k = 8 (5.1–5.5 → 5.5–5.8) and
/// d = 8 (3.5 → 4.0), where a row's record is one or two adds and each cluster's loop ends on a mispredicted branch.
__attribute__((target("avx2,fma"), always_inline)) static inline void record_group_f32(sink *o, size_t c, uint64_t mask,
                                                                                     const float *base,
                                                                                     const size_t d) {
#define CAPM_ROW_PS(row, v) _mm256_loadu_ps((row) + 8 * (v))
    CAPM_RECORD_GROUP(float, __m256, 8, o->partial, _mm256_loadu_ps, _mm256_storeu_ps, _mm256_add_ps, CAPM_ROW_PS);
#undef CAPM_ROW_PS
}

/// Folds one distance vector (lanes = rows, all to centroid `index`) into the running minimum: strict <, so on
/// ties the earlier (lower) centroid index stays.
#define CAPM_KEEP_SMALLER_PD(t, index)                                      \
    do {                                                                    \
        const __m256d m_ = _mm256_cmp_pd((t), best, _CMP_LT_OQ);            \
        best = _mm256_min_pd((t), best);                                    \
        bestIndex = _mm256_blendv_pd(bestIndex, _mm256_set1_pd(index), m_); \
    } while (0)

/// (v, i) ← the smaller of (va, ia) and (vb, ib), lane-wise; (va, ia) on ties or NaN (a holds the lower indices).
#define CAPM_PAIR_PD(va, ia, vb, ib, v, i)                       \
    do {                                                         \
        const __m256d m_ = _mm256_cmp_pd((vb), (va), _CMP_LT_OQ); \
        i = _mm256_blendv_pd((ia), (ib), m_);                     \
        v = _mm256_min_pd((vb), (va));                            \
    } while (0)

/// Folds one group of 8 centroids into the running minimum of 4 rows: `tC` holds the 4 rows' distances to centroid
/// `base` + C. A tree of pairwise steps (latency 3 instead of 8 dependent steps), each keeping the left (lower-index)
/// operand on ties, then one strict-< step against the minimum of earlier groups — so each row gets the lowest index
/// of its smallest distance. Shared by the 4 × 8 tile and the rows-in-lanes kernel, whose labels must agree.
__attribute__((target("avx2,fma"), always_inline)) static inline void fold_group8_pd(
    __m256d t0, __m256d t1, __m256d t2, __m256d t3, __m256d t4, __m256d t5, __m256d t6, __m256d t7, double base,
    __m256d *best, __m256d *bestIndex) {
    __m256d v01, i01, v23, i23, v45, i45, v67, i67, v03, i03, v47, i47, v07, i07;
    CAPM_PAIR_PD(t0, _mm256_set1_pd(base + 0), t1, _mm256_set1_pd(base + 1), v01, i01);
    CAPM_PAIR_PD(t2, _mm256_set1_pd(base + 2), t3, _mm256_set1_pd(base + 3), v23, i23);
    CAPM_PAIR_PD(t4, _mm256_set1_pd(base + 4), t5, _mm256_set1_pd(base + 5), v45, i45);
    CAPM_PAIR_PD(t6, _mm256_set1_pd(base + 6), t7, _mm256_set1_pd(base + 7), v67, i67);
    CAPM_PAIR_PD(v01, i01, v23, i23, v03, i03);
    CAPM_PAIR_PD(v45, i45, v67, i67, v47, i47);
    CAPM_PAIR_PD(v03, i03, v47, i47, v07, i07);
    CAPM_PAIR_PD(*best, *bestIndex, v07, i07, *best, *bestIndex);
}

/// Largest d for which the Double pass puts rows in lanes (`nearest4lanes_f64`), and the largest lane panel (Doubles,
/// on the stack, within L1) it builds; other shapes take the 4 × 8 tile.
#define CAPM_LANES_MAX_D 8
#define CAPM_LANES_MAX_PANEL 3072

/// The lane panel: the Double panel (`panel64`) with every value repeated in the 4 lanes of a vector, so that the
/// FMAs of `nearest4lanes_f64` take their coefficient straight from memory (a broadcast per FMA measured slower
/// than the 4 × 8 tile: it competes for the load and shuffle ports).
static void build_lanes_panel(const double *panel, size_t d, size_t groups, double *out) {
    for (size_t e = 0; e < groups * (d + 1) * 8; e++)
        for (size_t l = 0; l < 4; l++) out[4 * e + l] = panel[e];
}

/// Labels of 4 rows for d ≤ CAPM_LANES_MAX_D, rows in lanes: the 4 rows are transposed once (feature j of the 4 rows
/// in one vector), then per group of 8 centroids each accumulator holds the 4 rows' distances to one centroid,
/// ‖c‖² + Σⱼ xⱼ·(−2cⱼ) by FMAs in feature order — the 4 × 8 tile's arithmetic, without its two 4 × 4 transposes per
/// group — and the same arg-min tree gives the same labels bit for bit. Standalone harness, 1M-row update pass:
/// d = 8, k = 32: 23.1 → 20.8 ns per row; k = 16: 14.4 → 12.8; k = 8: 9.3 → 8.8; d = 6, k = 32: 21.4 → 17.7; at
/// d = 12 it measured slower for k = 8 (10.5 → 11.4), at d = 16 slower for k = 8 and 32.
__attribute__((target("avx2,fma"), always_inline)) static inline __m128i nearest4lanes_f64(
    const double *r0, const double *r1, const double *r2, const double *r3, const double *lanes, size_t d,
    size_t groups) {
    const size_t stride = (d + 1) * 32;
    __m256d xt[CAPM_LANES_MAX_D];
    size_t j = 0;
    for (; j + 4 <= d; j += 4)
        capm_transpose4_pd(_mm256_loadu_pd(r0 + j), _mm256_loadu_pd(r1 + j), _mm256_loadu_pd(r2 + j),
                           _mm256_loadu_pd(r3 + j), xt + j);
    for (; j < d; j++) xt[j] = _mm256_setr_pd(r0[j], r1[j], r2[j], r3[j]);
    __m256d best = _mm256_set1_pd(INFINITY);
    __m256d bestIndex = _mm256_setzero_pd();
    for (size_t g = 0; g < groups; g++) {
        const double *q = lanes + g * stride;
        __asm__("" : "+r"(q)); // keep the coefficients as memory operands (see nearest4_f64)
        __m256d t0 = _mm256_load_pd(q), t1 = _mm256_load_pd(q + 4), t2 = _mm256_load_pd(q + 8),
                t3 = _mm256_load_pd(q + 12), t4 = _mm256_load_pd(q + 16), t5 = _mm256_load_pd(q + 20),
                t6 = _mm256_load_pd(q + 24), t7 = _mm256_load_pd(q + 28);
        const double *c = q + 32;
        for (size_t f = 0; f < d; f++, c += 32) {
            const __m256d x = xt[f];
            t0 = _mm256_fmadd_pd(x, _mm256_load_pd(c), t0);
            t1 = _mm256_fmadd_pd(x, _mm256_load_pd(c + 4), t1);
            t2 = _mm256_fmadd_pd(x, _mm256_load_pd(c + 8), t2);
            t3 = _mm256_fmadd_pd(x, _mm256_load_pd(c + 12), t3);
            t4 = _mm256_fmadd_pd(x, _mm256_load_pd(c + 16), t4);
            t5 = _mm256_fmadd_pd(x, _mm256_load_pd(c + 20), t5);
            t6 = _mm256_fmadd_pd(x, _mm256_load_pd(c + 24), t6);
            t7 = _mm256_fmadd_pd(x, _mm256_load_pd(c + 28), t7);
        }
        const double base = (double)(8 * g);
        fold_group8_pd(t0, t1, t2, t3, t4, t5, t6, t7, base, &best, &bestIndex);
    }
    return _mm256_cvttpd_epi32(bestIndex);
}

/// Labels of 4 rows (`r0`…`r3`; duplicates past the end): the 4 × 8 micro-kernel over all groups.
__attribute__((target("avx2,fma"), always_inline)) static inline __m128i nearest4_f64(
    const double *r0, const double *r1, const double *r2, const double *r3, const double *panel, size_t d,
    size_t groups) {
    const size_t stride = (d + 1) * 8;
    __m256d best = _mm256_set1_pd(INFINITY);
    __m256d bestIndex = _mm256_setzero_pd();
    for (size_t g = 0; g < groups; g++) {
        const double *q = panel + g * stride;
        // Opaque to the optimiser: with d known at compile time clang hoisted every panel load out of the row loop
        // and spilled them to the stack (18 YMM for d = 8), slower than loading from the panel (1M × 8, k = 8:
        // 10.2 → 9.1 ms; k = 32: 28.9 → 23.3 ms).
        __asm__("" : "+r"(q));
        const __m256d n0 = _mm256_loadu_pd(q), n1 = _mm256_loadu_pd(q + 4);
        __m256d a00 = n0, a01 = n1, a10 = n0, a11 = n1, a20 = n0, a21 = n1, a30 = n0, a31 = n1;
        const double *c = q + 8;
        for (size_t j = 0; j < d; j++, c += 8) {
            const __m256d c0 = _mm256_loadu_pd(c), c1 = _mm256_loadu_pd(c + 4);
            __m256d x = _mm256_broadcast_sd(r0 + j);
            a00 = _mm256_fmadd_pd(x, c0, a00);
            a01 = _mm256_fmadd_pd(x, c1, a01);
            x = _mm256_broadcast_sd(r1 + j);
            a10 = _mm256_fmadd_pd(x, c0, a10);
            a11 = _mm256_fmadd_pd(x, c1, a11);
            x = _mm256_broadcast_sd(r2 + j);
            a20 = _mm256_fmadd_pd(x, c0, a20);
            a21 = _mm256_fmadd_pd(x, c1, a21);
            x = _mm256_broadcast_sd(r3 + j);
            a30 = _mm256_fmadd_pd(x, c0, a30);
            a31 = _mm256_fmadd_pd(x, c1, a31);
        }
        // Transpose the 4 × 4 tiles: the vector for centroid 8g + C holds the 4 rows' distances to it; then fold the
        // group into the running minimum (`fold_group8_pd`).
        const double base = (double)(8 * g);
        __m256d t[8];
        capm_transpose4_pd(a00, a10, a20, a30, t);
        capm_transpose4_pd(a01, a11, a21, a31, t + 4);
        fold_group8_pd(t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7], base, &best, &bestIndex);
    }
    // Padding lanes hold +∞ and never pass the strict <; a row whose distances are all +∞ or NaN keeps index 0.
    return _mm256_cvttpd_epi32(bestIndex);
}

#define CAPM_KEEP_SMALLER_PS(t, index)                                      \
    do {                                                                    \
        const __m256 m_ = _mm256_cmp_ps((t), best, _CMP_LT_OQ);             \
        best = _mm256_min_ps((t), best);                                    \
        bestIndex = _mm256_blendv_ps(bestIndex, _mm256_set1_ps(index), m_); \
    } while (0)

/// Folds one group's distance vectors `t[C]` (lanes = 8 rows, all to centroid `base` + C) into the running minimum
/// in centroid order: strict <, so on ties the lower index stays.
__attribute__((target("avx2,fma"), always_inline)) static inline void fold_group8_ps(const __m256 t[8], float base,
                                                                                   __m256 *bestp,
                                                                                   __m256 *bestIndexp) {
    __m256 best = *bestp, bestIndex = *bestIndexp;
    for (size_t c = 0; c < 8; c++) CAPM_KEEP_SMALLER_PS(t[c], base + (float)c);
    *bestp = best, *bestIndexp = bestIndex;
}

/// Labels of 8 rows: the 8 × 8 Float micro-kernel over all groups.
__attribute__((target("avx2,fma"), always_inline)) static inline __m256i nearest8_f32(const float *const rp[8],
                                                                                   const float *panel, size_t d,
                                                                                   size_t groups) {
    const size_t stride = (d + 1) * 8;
    __m256 best = _mm256_set1_ps(INFINITY);
    __m256 bestIndex = _mm256_setzero_ps();
    for (size_t g = 0; g < groups; g++) {
        const float *q = panel + g * stride;
        const __m256 nv = _mm256_loadu_ps(q);
        __m256 a0 = nv, a1 = nv, a2 = nv, a3 = nv, a4 = nv, a5 = nv, a6 = nv, a7 = nv;
        const float *c = q + 8;
        for (size_t j = 0; j < d; j++, c += 8) {
            const __m256 cv = _mm256_loadu_ps(c);
            a0 = _mm256_fmadd_ps(_mm256_broadcast_ss(rp[0] + j), cv, a0);
            a1 = _mm256_fmadd_ps(_mm256_broadcast_ss(rp[1] + j), cv, a1);
            a2 = _mm256_fmadd_ps(_mm256_broadcast_ss(rp[2] + j), cv, a2);
            a3 = _mm256_fmadd_ps(_mm256_broadcast_ss(rp[3] + j), cv, a3);
            a4 = _mm256_fmadd_ps(_mm256_broadcast_ss(rp[4] + j), cv, a4);
            a5 = _mm256_fmadd_ps(_mm256_broadcast_ss(rp[5] + j), cv, a5);
            a6 = _mm256_fmadd_ps(_mm256_broadcast_ss(rp[6] + j), cv, a6);
            a7 = _mm256_fmadd_ps(_mm256_broadcast_ss(rp[7] + j), cv, a7);
        }
        // 8 × 8 transpose: column C = the 8 rows' distances to centroid 8g + C.
        const __m256 rows[8] = {a0, a1, a2, a3, a4, a5, a6, a7};
        __m256 t[8];
        capm_transpose8_ps(rows, t);
        fold_group8_ps(t, (float)(8 * g), &best, &bestIndex);
    }
    return _mm256_cvttps_epi32(bestIndex);
}

/// Largest d for which the Float pass puts rows in lanes (`nearest8lanes_f32`, for k > 8), and the largest lane
/// panel (Floats, on the stack, within L1) it builds; other shapes take the tiles.
#define CAPM_LANES32_MAX_D 8
#define CAPM_LANES32_MAX_PANEL 6144

/// The Float lane panel: `panel32` with every value repeated in the 8 lanes of a vector, so that the FMAs of
/// `nearest8lanes_f32` take their coefficient straight from memory.
static void build_lanes_panel32(const float *panel, size_t d, size_t groups, float *out) {
    for (size_t e = 0; e < groups * (d + 1) * 8; e++)
        for (size_t l = 0; l < 8; l++) out[8 * e + l] = panel[e];
}

/// Labels of 8 rows for d ≤ CAPM_LANES32_MAX_D, rows in lanes (the Float counterpart of `nearest4lanes_f64`): the
/// 8 rows are transposed once (feature j of the 8 rows in one vector), then per group of 8 centroids each
/// accumulator holds the 8 rows' distances to one centroid, ‖c‖² + Σⱼ xⱼ·(−2cⱼ) by FMAs in feature order — the
/// 8 × 8 tile's arithmetic without its 8 × 8 transpose per group — folded in centroid order with the same strict <,
/// so the labels are the tile's bit for bit. Standalone harness, 1M-row update pass, interleaved, ns per row:
/// d = 8, k = 16 10.1 → 7.7; k = 32 12.8 → 10.9; k = 64 29.8 → 24.8; d = 6, k = 32 18.2 → 15.1; d = 4, k = 32
/// 12.7 → 9.2; d = 3, k = 12 7.1 → 5.7; neutral at k ≤ 8 and d = 12, slower at d = 16 (21.4 → 26.7, k = 32).
__attribute__((target("avx2,fma"), always_inline)) static inline __m256i nearest8lanes_f32(const float *const rp[8],
                                                                                        const float *lanes, size_t d,
                                                                                        size_t groups) {
    const size_t stride = (d + 1) * 64;
    __m256 xt[CAPM_LANES32_MAX_D];
    if (d == 8) {
        const __m256 rows[8] = {_mm256_loadu_ps(rp[0]), _mm256_loadu_ps(rp[1]), _mm256_loadu_ps(rp[2]),
                                _mm256_loadu_ps(rp[3]), _mm256_loadu_ps(rp[4]), _mm256_loadu_ps(rp[5]),
                                _mm256_loadu_ps(rp[6]), _mm256_loadu_ps(rp[7])};
        capm_transpose8_ps(rows, xt);
    } else {
        for (size_t j = 0; j < d; j++)
            xt[j] = _mm256_setr_ps(rp[0][j], rp[1][j], rp[2][j], rp[3][j], rp[4][j], rp[5][j], rp[6][j], rp[7][j]);
    }
    __m256 best = _mm256_set1_ps(INFINITY), bestIndex = _mm256_setzero_ps();
    for (size_t g = 0; g < groups; g++) {
        const float *q = lanes + g * stride;
        __asm__("" : "+r"(q)); // keep the coefficients as memory operands (see nearest4_f64)
        __m256 t[8];
        for (size_t c = 0; c < 8; c++) t[c] = _mm256_load_ps(q + 8 * c);
        const float *coefficients = q + 64;
        for (size_t f = 0; f < d; f++, coefficients += 64) {
            const __m256 x = xt[f];
            for (size_t c = 0; c < 8; c++) t[c] = _mm256_fmadd_ps(x, _mm256_load_ps(coefficients + 8 * c), t[c]);
        }
        fold_group8_ps(t, (float)(8 * g), &best, &bestIndex);
    }
    // Padding lanes hold +∞ and never pass the strict <; a row whose distances are all +∞ or NaN keeps index 0.
    return _mm256_cvttps_epi32(bestIndex);
}

/// (v, i) ← the smaller of (va, ia) and (vb, ib) lane-wise, Float; (va, ia) on ties or NaN (a holds the lower indices).
#define CAPM_PAIR_PS(va, ia, vb, ib, v, i)                      \
    do {                                                        \
        const __m256 m_ = _mm256_cmp_ps((vb), (va), _CMP_LT_OQ); \
        i = _mm256_blendv_ps((ia), (ib), m_);                    \
        v = _mm256_min_ps((vb), (va));                           \
    } while (0)

/// The 4 rows' minimum over 8 centroids from their distance vectors `a0`…`a3` (row r: lanes = centroids
/// base…base+7): a half transpose (8 shuffles) gives vectors whose lanes 0–3 hold the 4 rows against centroid base+C
/// and lanes 4–7 against base+C+4 (C = 0…3); a tree of 3 pairwise steps then leaves in (v, i) the smallest per lane
/// with its index — lanes 0–3 over centroids base+0…3, lanes 4–7 over base+4…7, the lower index on ties.
__attribute__((target("avx2,fma"), always_inline)) static inline void quad_min8_f32(
    __m256 a0, __m256 a1, __m256 a2, __m256 a3, __m256 base, __m256 *v, __m256 *i) {
    const __m256 t0 = _mm256_unpacklo_ps(a0, a1), t1 = _mm256_unpackhi_ps(a0, a1);
    const __m256 t2 = _mm256_unpacklo_ps(a2, a3), t3 = _mm256_unpackhi_ps(a2, a3);
    const __m256 u0 = _mm256_shuffle_ps(t0, t2, 0x44), u1 = _mm256_shuffle_ps(t0, t2, 0xEE);
    const __m256 u2 = _mm256_shuffle_ps(t1, t3, 0x44), u3 = _mm256_shuffle_ps(t1, t3, 0xEE);
    const __m256 i0 = _mm256_add_ps(base, _mm256_setr_ps(0, 0, 0, 0, 4, 4, 4, 4));
    const __m256 i1 = _mm256_add_ps(base, _mm256_setr_ps(1, 1, 1, 1, 5, 5, 5, 5));
    const __m256 i2 = _mm256_add_ps(base, _mm256_setr_ps(2, 2, 2, 2, 6, 6, 6, 6));
    const __m256 i3 = _mm256_add_ps(base, _mm256_setr_ps(3, 3, 3, 3, 7, 7, 7, 7));
    __m256 v01, j01, v23, j23;
    CAPM_PAIR_PS(u0, i0, u1, i1, v01, j01);
    CAPM_PAIR_PS(u2, i2, u3, i3, v23, j23);
    CAPM_PAIR_PS(v01, j01, v23, j23, *v, *i);
}

/// The labels of 4 rows from a running minimum whose lanes 0–3 and 4–7 cover two halves of the centroids (value
/// `best`, index `bestIndex`): the high lane wins when strictly smaller, or equal with a lower index.
__attribute__((target("avx2,fma"), always_inline)) static inline __m128i merge_halves_f32(__m256 best,
                                                                                       __m256 bestIndex) {
    const __m128 vl = _mm256_castps256_ps128(best), vh = _mm256_extractf128_ps(best, 1);
    const __m128 il = _mm256_castps256_ps128(bestIndex), ih = _mm256_extractf128_ps(bestIndex, 1);
    const __m128 high = _mm_or_ps(_mm_cmplt_ps(vh, vl), _mm_and_ps(_mm_cmpeq_ps(vh, vl), _mm_cmplt_ps(ih, il)));
    return _mm_cvttps_epi32(_mm_blendv_ps(il, ih, high));
}

/// The FMA phase of the 4 × 16 Float tile: the distances (‖c‖² − 2·x·c) of rows `r0`…`r3` to the 16 centroids of
/// the panel groups at `q0` and `q0 + (d+1)·8`; `aR0` holds row R against the first group, `aR1` against the second.
__attribute__((target("avx2,fma"), always_inline)) static inline void tile4x16_f32(
    const float *r0, const float *r1, const float *r2, const float *r3, const float *q0, size_t d, __m256 *o00,
    __m256 *o10, __m256 *o20, __m256 *o30, __m256 *o01, __m256 *o11, __m256 *o21, __m256 *o31) {
    const float *q1 = q0 + (d + 1) * 8;
    const __m256 n0 = _mm256_loadu_ps(q0), n1 = _mm256_loadu_ps(q1);
    __m256 a00 = n0, a10 = n0, a20 = n0, a30 = n0, a01 = n1, a11 = n1, a21 = n1, a31 = n1;
    const float *c0 = q0 + 8, *c1 = q1 + 8;
    for (size_t j = 0; j < d; j++, c0 += 8, c1 += 8) {
        const __m256 v0 = _mm256_loadu_ps(c0), v1 = _mm256_loadu_ps(c1);
        __m256 x = _mm256_broadcast_ss(r0 + j);
        a00 = _mm256_fmadd_ps(x, v0, a00);
        a01 = _mm256_fmadd_ps(x, v1, a01);
        x = _mm256_broadcast_ss(r1 + j);
        a10 = _mm256_fmadd_ps(x, v0, a10);
        a11 = _mm256_fmadd_ps(x, v1, a11);
        x = _mm256_broadcast_ss(r2 + j);
        a20 = _mm256_fmadd_ps(x, v0, a20);
        a21 = _mm256_fmadd_ps(x, v1, a21);
        x = _mm256_broadcast_ss(r3 + j);
        a30 = _mm256_fmadd_ps(x, v0, a30);
        a31 = _mm256_fmadd_ps(x, v1, a31);
    }
    *o00 = a00, *o10 = a10, *o20 = a20, *o30 = a30, *o01 = a01, *o11 = a11, *o21 = a21, *o31 = a31;
}

/// The FMA phase of a 4 × 8 Float tile (an odd last group of the 4 × 16 kernels): rows `r0`…`r3` against the
/// 8 centroids of the panel group at `q0`.
__attribute__((target("avx2,fma"), always_inline)) static inline void tile4x8_f32(
    const float *r0, const float *r1, const float *r2, const float *r3, const float *q0, size_t d, __m256 *o0,
    __m256 *o1, __m256 *o2, __m256 *o3) {
    const __m256 n0 = _mm256_loadu_ps(q0);
    __m256 a0 = n0, a1 = n0, a2 = n0, a3 = n0;
    const float *c0 = q0 + 8;
    for (size_t j = 0; j < d; j++, c0 += 8) {
        const __m256 v0 = _mm256_loadu_ps(c0);
        a0 = _mm256_fmadd_ps(_mm256_broadcast_ss(r0 + j), v0, a0);
        a1 = _mm256_fmadd_ps(_mm256_broadcast_ss(r1 + j), v0, a1);
        a2 = _mm256_fmadd_ps(_mm256_broadcast_ss(r2 + j), v0, a2);
        a3 = _mm256_fmadd_ps(_mm256_broadcast_ss(r3 + j), v0, a3);
    }
    *o0 = a0, *o1 = a1, *o2 = a2, *o3 = a3;
}

/// One step of the 4 × 16 Float micro-kernel: rows `r0`…`r3` against the 16 centroids of groups g and g + 1,
/// folded into the running minimum (`best`, `bestIndex`; layout as in `nearest4x16_f32`).
__attribute__((target("avx2,fma"), always_inline)) static inline void step4x16_f32(
    const float *r0, const float *r1, const float *r2, const float *r3, const float *panel, size_t d, size_t g,
    __m256 *best, __m256 *bestIndex) {
    __m256 a00, a10, a20, a30, a01, a11, a21, a31;
    tile4x16_f32(r0, r1, r2, r3, panel + g * (d + 1) * 8, d, &a00, &a10, &a20, &a30, &a01, &a11, &a21, &a31);
    __m256 va, ia, vb, ib, v, i;
    quad_min8_f32(a00, a10, a20, a30, _mm256_set1_ps((float)(8 * g)), &va, &ia);
    quad_min8_f32(a01, a11, a21, a31, _mm256_set1_ps((float)(8 * g + 8)), &vb, &ib);
    CAPM_PAIR_PS(va, ia, vb, ib, v, i);
    CAPM_PAIR_PS(*best, *bestIndex, v, i, *best, *bestIndex);
}

/// One step of the 4 × 8 Float tile (an odd last group g of the 4 × 16 kernel), folded into the running minimum.
__attribute__((target("avx2,fma"), always_inline)) static inline void step4x8_f32(
    const float *r0, const float *r1, const float *r2, const float *r3, const float *panel, size_t d, size_t g,
    __m256 *best, __m256 *bestIndex) {
    __m256 a0, a1, a2, a3;
    tile4x8_f32(r0, r1, r2, r3, panel + g * (d + 1) * 8, d, &a0, &a1, &a2, &a3);
    __m256 v, i;
    quad_min8_f32(a0, a1, a2, a3, _mm256_set1_ps((float)(8 * g)), &v, &i);
    CAPM_PAIR_PS(*best, *bestIndex, v, i, *best, *bestIndex);
}

/// Labels of 4 rows: the 4 × 16 Float micro-kernel (two groups of 8 centroids per step, 8 accumulators), for
/// k > 8 and d ≥ 16. Per feature 2 panel loads and 4 broadcasts feed 8 FMAs, where the 8 × 8 tile needs 9 loads:
/// on the measured Zen 3 core the FMA phase ran at 90 GFLOP/s instead of 74. An odd last group runs as a 4 × 8 tile.
/// The running minimum keeps lanes 0–3 over centroids ≡ 0…3 (mod 8) and lanes 4–7 over ≡ 4…7; the two halves are
/// merged at the end (smaller distance, then lower index).
///
/// For 9 ≤ k ≤ 32 the steps are written out with constant group offsets instead of the loop (perf: 1M rows,
/// interleaved standalone runs, ns per row: k = 32, d = 16 16.3 → 15.1, d = 32 28.1 → 27.0; k = 24, d = 16
/// 14.4 → 13.6; k = 16, d = 16 11.5 → 11.0, d = 32 16.1 → 15.6; the compiler does not unroll a loop this large by
/// itself). Same steps in the same order: same labels.
__attribute__((target("avx2,fma"), always_inline)) static inline __m128i nearest4x16_f32(
    const float *r0, const float *r1, const float *r2, const float *r3, const float *panel, size_t d, size_t groups) {
    __m256 best = _mm256_set1_ps(INFINITY), bestIndex = _mm256_setzero_ps();
    switch (groups) {
    case 2:
        step4x16_f32(r0, r1, r2, r3, panel, d, 0, &best, &bestIndex);
        break;
    case 3:
        step4x16_f32(r0, r1, r2, r3, panel, d, 0, &best, &bestIndex);
        step4x8_f32(r0, r1, r2, r3, panel, d, 2, &best, &bestIndex);
        break;
    case 4:
        step4x16_f32(r0, r1, r2, r3, panel, d, 0, &best, &bestIndex);
        step4x16_f32(r0, r1, r2, r3, panel, d, 2, &best, &bestIndex);
        break;
    default: {
        size_t g = 0;
        for (; g + 2 <= groups; g += 2) step4x16_f32(r0, r1, r2, r3, panel, d, g, &best, &bestIndex);
        if (g < groups) step4x8_f32(r0, r1, r2, r3, panel, d, g, &best, &bestIndex);
    }
    }
    return merge_halves_f32(best, bestIndex);
}

/// Largest d for which the pair tile's panel (16 + 16·⌈d/2⌉ Floats) is built on the stack; larger d takes the 8 × 8 tile.
#define CAPM_PAIR_MAX_D 512

/// The pair tile's panel for one group of 8 centroids (k ≤ 8), from `panel32` (group 0). Vector 0 holds centroids
/// 0, 1 | 4, 5 and vector 1 centroids 2, 3 | 6, 7, each as a lane pair, so that the horizontal add of a row's two
/// accumulators leaves its distances in centroid order: first the norms, [n₀, 0, n₁, 0 | n₄, 0, n₅, 0] and
/// [n₂, 0, n₃, 0 | n₆, 0, n₇, 0], then per feature pair (j, j+1) the coefficients −2c of the same centroids interleaved
/// by feature, [c₀ⱼ, c₀,ⱼ₊₁, c₁ⱼ, c₁,ⱼ₊₁ | c₄ⱼ, …]; 0 for the missing j+1 of an odd d.
static void build_pair_panel(const float *panel, size_t d, float *out) {
    // Centroid of lane pair l (0–3) of vector h.
#define CAPM_PAIR_CENTROID(h, l) (((l) < 2 ? 0 : 4) + 2 * (h) + ((l) & 1))
    for (int h = 0; h < 2; h++)
        for (int l = 0; l < 4; l++) {
            out[8 * h + 2 * l] = panel[CAPM_PAIR_CENTROID(h, l)];
            out[8 * h + 2 * l + 1] = 0;
        }
    float *o = out + 16;
    for (size_t j = 0; j < d; j += 2, o += 16)
        for (int h = 0; h < 2; h++)
            for (int l = 0; l < 4; l++) {
                const int c = CAPM_PAIR_CENTROID(h, l);
                o[8 * h + 2 * l] = panel[8 + 8 * j + c];
                o[8 * h + 2 * l + 1] = j + 1 < d ? panel[8 + 8 * (j + 1) + c] : 0;
            }
#undef CAPM_PAIR_CENTROID
}

/// Labels of 4 rows against at most 8 centroids, two features per FMA: one 64-bit broadcast puts (xⱼ, xⱼ₊₁) in
/// every lane pair, so per feature pair 4 broadcasts and 2 panel loads feed 8 FMAs, where the 8 × 8 tile needs
/// 9 loads per 8 FMAs (1M × 32, k = 8 Float update pass: 11.4 → 10.0–10.5 ns per row in L2). Even lanes accumulate
/// ‖c‖² plus the even features, odd lanes the odd ones; one horizontal add per row joins them, which leaves the
/// row's distances in centroid order (the panel's layout), so the arg-min is that of the 4 × 16 tile's groups
/// (`quad_min8_f32`, then the halves merged; lower index on ties). The last feature of an odd d is broadcast alone
/// against the panel's zero odd lanes.
__attribute__((target("avx2,fma"), always_inline)) static inline __m128i nearest4pair_f32(
    const float *r0, const float *r1, const float *r2, const float *r3, const float *pp, size_t d) {
    const __m256 n0 = _mm256_loadu_ps(pp), n1 = _mm256_loadu_ps(pp + 8);
    __m256 a00 = n0, a01 = n1, a10 = n0, a11 = n1, a20 = n0, a21 = n1, a30 = n0, a31 = n1;
    const float *c = pp + 16;
    size_t j = 0;
// One step: the 4 rows' broadcasts of feature j (`BROADCAST`: the pair j, j+1, or j alone) against the panel's two
// vectors at `c`, 8 FMAs.
#define CAPM_PAIR_STEP(BROADCAST)                                                \
    do {                                                                        \
        const __m256 v0 = _mm256_loadu_ps(c), v1 = _mm256_loadu_ps(c + 8);      \
        __m256 x = BROADCAST(r0 + j);                                           \
        a00 = _mm256_fmadd_ps(x, v0, a00);                                      \
        a01 = _mm256_fmadd_ps(x, v1, a01);                                      \
        x = BROADCAST(r1 + j);                                                  \
        a10 = _mm256_fmadd_ps(x, v0, a10);                                      \
        a11 = _mm256_fmadd_ps(x, v1, a11);                                      \
        x = BROADCAST(r2 + j);                                                  \
        a20 = _mm256_fmadd_ps(x, v0, a20);                                      \
        a21 = _mm256_fmadd_ps(x, v1, a21);                                      \
        x = BROADCAST(r3 + j);                                                  \
        a30 = _mm256_fmadd_ps(x, v0, a30);                                      \
        a31 = _mm256_fmadd_ps(x, v1, a31);                                      \
    } while (0)
#define CAPM_BROADCAST_PAIR(p) _mm256_castpd_ps(_mm256_broadcast_sd((const double *)(p)))
    for (; j + 2 <= d; j += 2, c += 16) CAPM_PAIR_STEP(CAPM_BROADCAST_PAIR);
    if (j < d) CAPM_PAIR_STEP(_mm256_broadcast_ss);
#undef CAPM_BROADCAST_PAIR
#undef CAPM_PAIR_STEP
    // Row r's distances to centroids 0–7, in order (the panel's lane pairs, see build_pair_panel).
    const __m256 h0 = _mm256_hadd_ps(a00, a01), h1 = _mm256_hadd_ps(a10, a11);
    const __m256 h2 = _mm256_hadd_ps(a20, a21), h3 = _mm256_hadd_ps(a30, a31);
    __m256 v, i;
    quad_min8_f32(h0, h1, h2, h3, _mm256_setzero_ps(), &v, &i);
    return merge_halves_f32(v, i);
}

// ---------------------------------------------------------------------------------------------------------------
// Float screen of the Double pass (see capm_kmeans_pass_f64): Float tiles that keep, per row, the smallest distance,
// its index and the second smallest distance.

/// Like CAPM_PAIR_PS, and also the second smallest s of the four values (va, sa, vb, sb). An exact tie of va and vb
/// makes s equal to v, so the row is never accepted on a tie.
#define CAPM_PAIR2_PS(va, sa, ia, vb, sb, ib, v, s, i)                                 \
    do {                                                                               \
        const __m256 m_ = _mm256_cmp_ps((vb), (va), _CMP_LT_OQ);                        \
        s = _mm256_min_ps(_mm256_max_ps((va), (vb)), _mm256_min_ps((sa), (sb)));        \
        i = _mm256_blendv_ps((ia), (ib), m_);                                           \
        v = _mm256_min_ps((vb), (va));                                                  \
    } while (0)

/// `quad_min8_f32` with the second smallest distance per lane in `s`.
__attribute__((target("avx2,fma"), always_inline)) static inline void quad_min8_second_f32(
    __m256 a0, __m256 a1, __m256 a2, __m256 a3, __m256 base, __m256 *v, __m256 *s, __m256 *i) {
    const __m256 t0 = _mm256_unpacklo_ps(a0, a1), t1 = _mm256_unpackhi_ps(a0, a1);
    const __m256 t2 = _mm256_unpacklo_ps(a2, a3), t3 = _mm256_unpackhi_ps(a2, a3);
    const __m256 u0 = _mm256_shuffle_ps(t0, t2, 0x44), u1 = _mm256_shuffle_ps(t0, t2, 0xEE);
    const __m256 u2 = _mm256_shuffle_ps(t1, t3, 0x44), u3 = _mm256_shuffle_ps(t1, t3, 0xEE);
    const __m256 i0 = _mm256_add_ps(base, _mm256_setr_ps(0, 0, 0, 0, 4, 4, 4, 4));
    const __m256 i1 = _mm256_add_ps(base, _mm256_setr_ps(1, 1, 1, 1, 5, 5, 5, 5));
    const __m256 i2 = _mm256_add_ps(base, _mm256_setr_ps(2, 2, 2, 2, 6, 6, 6, 6));
    const __m256 i3 = _mm256_add_ps(base, _mm256_setr_ps(3, 3, 3, 3, 7, 7, 7, 7));
    __m256 v01, j01, v23, j23;
    CAPM_PAIR_PS(u0, i0, u1, i1, v01, j01);
    CAPM_PAIR_PS(u2, i2, u3, i3, v23, j23);
    const __m256 s01 = _mm256_max_ps(u0, u1), s23 = _mm256_max_ps(u2, u3);
    CAPM_PAIR2_PS(v01, s01, j01, v23, s23, j23, *v, *s, *i);
}

/// The screen's 4 × 16 Float tile (the FMA phase of `nearest4x16_f32`) over the centred Float rows `r0`…`r3`:
/// labels of the 4 rows, with their smallest and second smallest distances in `best` and `second`.
__attribute__((target("avx2,fma"), always_inline)) static inline __m128i screen4x16_f32(
    const float *r0, const float *r1, const float *r2, const float *r3, const float *panel, size_t d, size_t groups,
    __m128 *bestOut, __m128 *secondOut) {
    const size_t stride = (d + 1) * 8;
    __m256 best = _mm256_set1_ps(INFINITY), second = best, bestIndex = _mm256_setzero_ps();
    size_t g = 0;
    for (; g + 2 <= groups; g += 2) {
        __m256 a00, a10, a20, a30, a01, a11, a21, a31;
        tile4x16_f32(r0, r1, r2, r3, panel + g * stride, d, &a00, &a10, &a20, &a30, &a01, &a11, &a21, &a31);
        __m256 va, sa, ia, vb, sb, ib, v, s, i;
        quad_min8_second_f32(a00, a10, a20, a30, _mm256_set1_ps((float)(8 * g)), &va, &sa, &ia);
        quad_min8_second_f32(a01, a11, a21, a31, _mm256_set1_ps((float)(8 * g + 8)), &vb, &sb, &ib);
        CAPM_PAIR2_PS(va, sa, ia, vb, sb, ib, v, s, i);
        CAPM_PAIR2_PS(best, second, bestIndex, v, s, i, best, second, bestIndex);
    }
    if (g < groups) {
        __m256 a0, a1, a2, a3;
        tile4x8_f32(r0, r1, r2, r3, panel + g * stride, d, &a0, &a1, &a2, &a3);
        __m256 v, s, i;
        quad_min8_second_f32(a0, a1, a2, a3, _mm256_set1_ps((float)(8 * g)), &v, &s, &i);
        CAPM_PAIR2_PS(best, second, bestIndex, v, s, i, best, second, bestIndex);
    }
    // Merge the halves (lanes 0–3: centroids ≡ 0…3 mod 8, lanes 4–7: ≡ 4…7) as nearest4x16_f32 does.
    const __m128 vl = _mm256_castps256_ps128(best), vh = _mm256_extractf128_ps(best, 1);
    const __m128 sl = _mm256_castps256_ps128(second), sh = _mm256_extractf128_ps(second, 1);
    const __m128 il = _mm256_castps256_ps128(bestIndex), ih = _mm256_extractf128_ps(bestIndex, 1);
    const __m128 high = _mm_or_ps(_mm_cmplt_ps(vh, vl), _mm_and_ps(_mm_cmpeq_ps(vh, vl), _mm_cmplt_ps(ih, il)));
    *bestOut = _mm_min_ps(vl, vh);
    *secondOut = _mm_min_ps(_mm_max_ps(vl, vh), _mm_min_ps(sl, sh));
    return _mm_cvttps_epi32(_mm_blendv_ps(il, ih, high));
}

/// Bounds of one screened pass (see capm_kmeans_pass_f64). A row with ‖y‖ = Y is accepted when
/// s₂ − s₁ > 2(E₃₂ + E₆₄)·(1 + 2⁻²⁰) = (a + b·Y + c·(Y + m)²)·(2 + 2⁻¹⁹), with E₃₂ = θ₃₂(C² + 2YC) + τ(1 + 2C + Y)
/// (C = ‖c−μ‖ₘₐₓ; τ bounds underflow: at most 2⁻¹²⁶ per Float operation, also with flush-to-zero, on d + 2
/// operations) and E₆₄ = 2θ₆₄(‖c‖ₘₐₓ + C + ‖μ‖ + Y)². The factor 1 + 2⁻²⁰ covers the rounding of the threshold to
/// Float and of the Float difference s₂ − s₁.
typedef struct screen_bounds {
    double a, b, c, m, norm_factor;
} screen_bounds;

static screen_bounds make_screen_bounds(const capm_kmeans_pass *p) {
    const double d = (double)p->d, u32 = 0x1p-24, u64 = 0x1p-53;
    const double theta32 = (d + 3) * u32 / (1 - (d + 3) * u32) * 1.01, theta64 = (d + 8) * u64 * 1.1;
    // The norms were computed in Double (a sum of squares, a square root): inflated past their rounding.
    const double inflate = 1 + (d + 4) * 0x1p-52;
    const double tiny = (d + 2) * 0x1p-124, centred = p->screen_centred_norm * inflate;
    screen_bounds b;
    b.a = theta32 * centred * centred + tiny * (1 + 2 * centred);
    b.b = 2 * theta32 * centred + tiny;
    b.c = 2 * theta64;
    b.m = (p->screen_norm + p->screen_mean_norm) * inflate + centred;
    // ‖y‖ from Σ y² in Double likewise.
    b.norm_factor = inflate;
    return b;
}

/// The thresholds of 4 rows from their Σⱼ yⱼ², rounded to Float; +∞ (never accepted) for a row with ‖y‖ ≥ 2⁶⁰,
/// whose Float products could approach the Float range.
__attribute__((target("avx2,fma"), always_inline)) static inline __m128 screen_thresholds4(const screen_bounds *b,
                                                                                         __m256d y2) {
    const __m256d y = _mm256_mul_pd(_mm256_sqrt_pd(y2), _mm256_set1_pd(b->norm_factor));
    const __m256d s = _mm256_add_pd(y, _mm256_set1_pd(b->m));
    __m256d t = _mm256_add_pd(_mm256_set1_pd(b->a), _mm256_mul_pd(_mm256_set1_pd(b->b), y));
    t = _mm256_add_pd(t, _mm256_mul_pd(_mm256_set1_pd(b->c), _mm256_mul_pd(s, s)));
    t = _mm256_mul_pd(t, _mm256_set1_pd(2 + 0x1p-19));
    const __m256d small = _mm256_cmp_pd(y, _mm256_set1_pd(0x1p60), _CMP_LT_OQ);
    return _mm256_cvtpd_ps(_mm256_blendv_pd(_mm256_set1_pd(INFINITY), t, small));
}

/// Centres `n` ≤ 4 Double rows (x − μ) into Float rows `ys` (row-major, d per row) and stores 4 thresholds (those
/// past `n` are a zero row's; their lanes are never read as rows).
__attribute__((target("avx2,fma"), always_inline)) static inline void screen_prepare4(
    const double *x, size_t n, size_t d, const double *mean, const screen_bounds *b, float *ys, float *thresholds) {
    __m256d partial[4] = {_mm256_setzero_pd(), _mm256_setzero_pd(), _mm256_setzero_pd(), _mm256_setzero_pd()};
    double tail[4] = {0, 0, 0, 0};
    for (size_t i = 0; i < n; i++) {
        const double *row = x + i * d;
        float *out = ys + i * d;
        __m256d acc = _mm256_setzero_pd();
        size_t j = 0;
        for (; j + 4 <= d; j += 4) {
            const __m256d y = _mm256_sub_pd(_mm256_loadu_pd(row + j), _mm256_loadu_pd(mean + j));
            acc = _mm256_fmadd_pd(y, y, acc);
            _mm_storeu_ps(out + j, _mm256_cvtpd_ps(y));
        }
        for (; j < d; j++) {
            const double y = row[j] - mean[j];
            tail[i] += y * y;
            out[j] = (float)y;
        }
        partial[i] = acc;
    }
    // Lane sums of the 4 rows' partial vectors: [Σ row0, Σ row1, Σ row2, Σ row3].
    const __m256d h01 = _mm256_hadd_pd(partial[0], partial[1]), h23 = _mm256_hadd_pd(partial[2], partial[3]);
    const __m256d sums =
        _mm256_add_pd(_mm256_permute2f128_pd(h01, h23, 0x20), _mm256_permute2f128_pd(h01, h23, 0x31));
    _mm_storeu_ps(thresholds, screen_thresholds4(b, _mm256_add_pd(sums, _mm256_loadu_pd(tail))));
}

/// The AVX2 pass, software-pipelined: labels are computed a batch of CAPM_BATCH rows ahead, and while the labels of
/// batch b are computed, the rows of batch b − 1 (labels known, rows still in L1/L2) are recorded in row order, a
/// few per micro-kernel call. Recording a row right after its label stalled on the label's latency chain, and a
/// separate record loop per batch ran the FMA and load/store ports in turn instead of together (perf).
#define CAPM_DEFINE_AVX2_PASS(NAME, T, XFIELD, PANEL, STEP, NEAREST, STORE, RECORD, GROUP, GROUP_MIN_D, LANES,    \
                              WINDOWED, MAY_PACK)                                                                  \
    CAPM_DEFINE_PASS_FOR(NAME, T, XFIELD, PANEL, STEP, NEAREST, STORE, RECORD, GROUP, GROUP_MIN_D, LANES, WINDOWED, \
                         MAY_PACK, "avx2,fma")
/// CAPM_DEFINE_AVX2_PASS compiled for the instruction-set features `TARGET` (a superset of AVX2 + FMA).
#define CAPM_DEFINE_PASS_FOR(NAME, T, XFIELD, PANEL, STEP, NEAREST, STORE, RECORD, GROUP, GROUP_MIN_D, LANES,     \
                             WINDOWED, MAY_PACK, TARGET)                                                           \
    __attribute__((target(TARGET), always_inline)) static inline capm_kmeans_result NAME##_mode(               \
        const capm_kmeans_pass *p, const int mode, const int weighted, const size_t D, const int small) {          \
        const size_t d = D ? D : p->d, groups = (p->k + 7) / 8, rows = p->rows;                                    \
        const T *x = p->XFIELD;                                                                                    \
        sink o = make_sink(p);                                                                                     \
        int32_t labels[2][CAPM_BATCH];                                                                             \
        size_t pendingStart = 0, pendingCount = 0, cur = 0;                                                        \
        /* `small`: 1 for k ≤ 8 (counts packed in a register), 2 for 9 ≤ k ≤ CAPM_GROUP_MAX_K (grouped kernels \
           only). With a feature count known at compile time, at least GROUP_MIN_D (0: never) and whole vectors, \
           such a pass records cluster by cluster (GROUP, see `record_group_f64`). */                            \
        const int packed = small == 1;                                                                             \
        const int grouped = small && (GROUP_MIN_D) && D >= (GROUP_MIN_D) && D % LANES == 0 &&                      \
                            D / LANES <= CAPM_GROUP_MAX_VECTORS;                                                   \
        uint64_t masks[CAPM_GROUP_MAX_K];                                                                          \
        /* One more batch than the rows fill: its iteration computes no labels and records the last batch. */      \
        for (size_t b0 = 0; b0 < rows || pendingCount; b0 += CAPM_BATCH, cur ^= 1) {                               \
            const size_t left = b0 < rows ? rows - b0 : 0, bn = left < CAPM_BATCH ? left : CAPM_BATCH;                    \
            size_t done = 0; /* pending rows (or clusters, grouped) recorded so far */                             \
            if (grouped) cluster_masks(labels[cur ^ 1], pendingCount, p->k, masks);                                \
            for (size_t i0 = b0; i0 < b0 + bn; i0 += STEP) {                                                       \
                const size_t n = b0 + bn - i0 < STEP ? b0 + bn - i0 : STEP;                                        \
                const T *rp[STEP];                                                                                 \
                /* Prefetch the rows CAPM_PREFETCH bytes ahead (into L2, CAPM_PREFETCH_HINT): the hardware         \
                   prefetcher alone left the pass stalled on memory for d ≥ 16 (Zen 3, 1M × 32, k = 8: 30 → 26 ms    \
                   Double, 20 → 16 ms Float). A prefetch never faults, so past the last row it needs no test (the    \
                   address is formed as an integer). */                                                             \
                {                                                                                                  \
                    const uintptr_t ahead = (uintptr_t)(x + i0 * d) + CAPM_PREFETCH;                               \
                    for (size_t o_ = 0; o_ < STEP * d * sizeof(T); o_ += 64)                                       \
                        _mm_prefetch((const char *)(ahead + o_), CAPM_PREFETCH_HINT);                              \
                }                                                                                                  \
                /* A full step's rows without the per-row test (that and the prefetch test: 1M × 16, k = 8, Float  \
                   6.23 → 5.95 ns per row). A short last step repeats its first row. */                            \
                if (n == STEP)                                                                                     \
                    for (size_t t = 0; t < STEP; t++) rp[t] = x + (i0 + t) * d;                                    \
                else                                                                                               \
                    for (size_t t = 0; t < STEP; t++) rp[t] = x + (i0 + (t < n ? t : 0)) * d;                      \
                STORE(labels[cur] + (i0 - b0), NEAREST);                                                           \
                if (mode == CAPM_CHANGES) {                                                                        \
                    /* recorded batch-wise before commit_labels (move_changed) */                                  \
                } else if (grouped) {                                                                              \
                    if (done < p->k) GROUP(&o, done, masks[done], x + pendingStart * d, d), done++;                \
                } else {                                                                                           \
                    const size_t until = done + STEP < pendingCount ? done + STEP : pendingCount;                  \
                    for (; done < until; done++)                                                                   \
                        RECORD(&o, pendingStart + done, x + (pendingStart + done) * d, labels[cur ^ 1][done],      \
                               mode, weighted, d, packed);                                                         \
                }                                                                                                  \
            }                                                                                                      \
            if (mode == CAPM_CHANGES)                                                                              \
                move_changed(&o, pendingStart, labels[cur ^ 1], pendingCount,                                      \
                             _Generic(x, const double *: x, default: NULL),                                        \
                             _Generic(x, const float *: x, default: NULL), d);                                     \
            else if (grouped)                                                                                      \
                for (; done < p->k; done++) GROUP(&o, done, masks[done], x + pendingStart * d, d);                 \
            else                                                                                                   \
                for (; done < pendingCount; done++)                                                                \
                    RECORD(&o, pendingStart + done, x + (pendingStart + done) * d, labels[cur ^ 1][done], mode,    \
                           weighted, d, packed);                                                                   \
            commit_labels(&o, pendingStart, labels[cur ^ 1], pendingCount);                                        \
            if (!grouped) flush_counts(&o, p->k, packed);                                                          \
            /* Windows are multiples of the batch: a window ends exactly when a batch's last row is recorded; the  \
               last window with the last row. */                                                                   \
            if (WINDOWED && mode == CAPM_UPDATE && !weighted && pendingCount &&                                    \
                ((pendingStart + pendingCount) % CAPM_KMEANS_WINDOW == 0 || pendingStart + pendingCount == rows))  \
                flush_partials(o.sums, o.partial, p->k * d);                                                       \
            pendingStart = b0;                                                                                     \
            pendingCount = bn;                                                                                     \
        }                                                                                                          \
        return (capm_kmeans_result){o.changed, o.inertia};                                                         \
    }                                                                                                              \
    /* The unweighted update pass with the feature count known at compile time for common small d: the feature     \
       loops unroll completely (perf: loop and tail overhead was a third of the row's record step at d = 8). */    \
    __attribute__((target(TARGET), always_inline)) static inline capm_kmeans_result NAME##_update(             \
        const capm_kmeans_pass *p, const int packed) {                                                             \
        switch (p->d) {                                                                                            \
        case 2: return NAME##_mode(p, CAPM_UPDATE, 0, 2, packed);                                                  \
        case 3: return NAME##_mode(p, CAPM_UPDATE, 0, 3, packed);                                                  \
        case 4: return NAME##_mode(p, CAPM_UPDATE, 0, 4, packed);                                                  \
        case 5: return NAME##_mode(p, CAPM_UPDATE, 0, 5, packed);                                                  \
        case 6: return NAME##_mode(p, CAPM_UPDATE, 0, 6, packed);                                                  \
        case 8: return NAME##_mode(p, CAPM_UPDATE, 0, 8, packed);                                                  \
        case 12: return NAME##_mode(p, CAPM_UPDATE, 0, 12, packed);                                                \
        case 16: return NAME##_mode(p, CAPM_UPDATE, 0, 16, packed);                                                \
        case 32: return NAME##_mode(p, CAPM_UPDATE, 0, 32, packed);                                                \
        default: return NAME##_mode(p, CAPM_UPDATE, 0, 0, packed);                                                 \
        }                                                                                                          \
    }                                                                                                              \
    /* The changes-only pass (`changes_only`), compiled for the same feature counts: its labels cost what an      \
       update pass's do, and few rows are recorded. */                                                             \
    __attribute__((target(TARGET), always_inline)) static inline capm_kmeans_result NAME##_changes(            \
        const capm_kmeans_pass *p) {                                                                               \
        switch (p->d) {                                                                                            \
        case 8: return NAME##_mode(p, CAPM_CHANGES, 0, 8, 0);                                                      \
        case 16: return NAME##_mode(p, CAPM_CHANGES, 0, 16, 0);                                                    \
        case 32: return NAME##_mode(p, CAPM_CHANGES, 0, 32, 0);                                                    \
        default: return NAME##_mode(p, CAPM_CHANGES, 0, 0, 0);                                                     \
        }                                                                                                          \
    }                                                                                                              \
    /* 9 ≤ k ≤ CAPM_GROUP_MAX_K in a grouped kernel, for the feature counts it groups (`grouped` in _mode). */     \
    __attribute__((target(TARGET), always_inline)) static inline int NAME##_groups(size_t d) {                 \
        return (GROUP_MIN_D) && d >= (GROUP_MIN_D) && (d == 8 || d == 12 || d == 16 || d == 32);                   \
    }                                                                                                              \
    __attribute__((target(TARGET), always_inline)) static inline capm_kmeans_result NAME##_update_grouped(     \
        const capm_kmeans_pass *p) {                                                                               \
        /* Only the feature counts NAME##_groups accepts are compiled (GROUP_MIN_D is a constant). */              \
        switch (p->d) {                                                                                            \
        case 8: if ((GROUP_MIN_D) <= 8) return NAME##_mode(p, CAPM_UPDATE, 0, 8, 2); break;                        \
        case 12: if ((GROUP_MIN_D) <= 12) return NAME##_mode(p, CAPM_UPDATE, 0, 12, 2); break;                     \
        case 16: if ((GROUP_MIN_D) <= 16) return NAME##_mode(p, CAPM_UPDATE, 0, 16, 2); break;                     \
        default: break;                                                                                            \
        }                                                                                                          \
        return NAME##_mode(p, CAPM_UPDATE, 0, 32, 2);                                                              \
    }                                                                                                              \
    __attribute__((target(TARGET))) static capm_kmeans_result NAME(const capm_kmeans_pass *p) {                \
        const int weighted = p->weights != NULL;                                                                   \
        if (p->sums && p->changes_only) return NAME##_changes(p);                                                  \
        /* MAY_PACK: the kernel can run with k ≤ 8, so it is also compiled with packed counts (count_row). */      \
        if (p->sums && !weighted) {                                                                                \
            if ((MAY_PACK) && p->k <= 8) return NAME##_update(p, 1);                                               \
            if ((GROUP_MIN_D) && p->k <= CAPM_GROUP_MAX_K && NAME##_groups(p->d)) return NAME##_update_grouped(p); \
            return NAME##_update(p, 0);                                                                            \
        }                                                                                                          \
        if (p->sums) return NAME##_mode(p, CAPM_UPDATE, 1, 0, 0);                                                  \
        if (p->centroids)                                                                                          \
            return weighted ? NAME##_mode(p, CAPM_EXACT, 1, 0, 0) : NAME##_mode(p, CAPM_EXACT, 0, 0, 0);           \
        return NAME##_mode(p, CAPM_ASSIGN, 0, 0, 0);                                                               \
    }

#define CAPM_STORE4(dst, v) _mm_storeu_si128((__m128i *)(dst), (v))
#define CAPM_STORE8(dst, v) _mm256_storeu_si256((__m256i *)(dst), (v))
#define CAPM_NEAREST4 nearest4_f64(rp[0], rp[1], rp[2], rp[3], p->panel64, d, groups)
#define CAPM_NEAREST4LANES nearest4lanes_f64(rp[0], rp[1], rp[2], rp[3], p->panel64, d, groups)
#define CAPM_NEAREST8 nearest8_f32(rp, p->panel32, d, groups)
#define CAPM_NEAREST8LANES nearest8lanes_f32(rp, p->panel32, d, groups)
#define CAPM_NEAREST4X16 nearest4x16_f32(rp[0], rp[1], rp[2], rp[3], p->panel32, d, groups)
#define CAPM_NEAREST4PAIR ((void)groups, nearest4pair_f32(rp[0], rp[1], rp[2], rp[3], p->panel32, d))

/// The Float passes below d = 32 record row by row: grouping by cluster measured slower there (`record_group_f32`).
#define CAPM_NO_GROUP(o, c, mask, base, d) ((void)0)

CAPM_DEFINE_AVX2_PASS(pass_f64_avx2, double, x64, panel64, 4, CAPM_NEAREST4, CAPM_STORE4, record_f64, record_group_f64, 8,
                      4, 0, 1)
CAPM_DEFINE_AVX2_PASS(pass_f64_avx2_lanes_panel, double, x64, panel64, 4, CAPM_NEAREST4LANES, CAPM_STORE4, record_f64,
                      record_group_f64, 8, 4, 0, 1)
CAPM_DEFINE_AVX2_PASS(pass_f32_avx2, float, x32, panel32, 8, CAPM_NEAREST8, CAPM_STORE8, record_f32, CAPM_NO_GROUP, 0, 8,
                      1, 1)
/// The same 8 × 8 Float pass compiled for AVX-512VL (EVEX encoding: 32 vector registers, each row value broadcast
/// inside its FMA; same instructions otherwise, so the same bits), for k ≤ 8 below d = 24 on CPUs that have it.
/// Standalone harness on the Zen 4 machine, 1M rows, ns per row, AVX2 → AVX-512VL: k = 8, d = 16 changes-only pass
/// 3.89–3.99 → 3.37–3.41, update pass 4.95–4.98 → 4.68–4.73; d = 12 3.31–3.39 → 3.05–3.07; d = 8 3.78 → 3.31. The
/// other kernels compiled the same way were slower (Double k = 8, d = 16 6.6–6.7 → 7.1–7.3; Float d = 32, k = 8, the
/// pair tile, 6.7 → 7.2–8.7; k = 32 10–30 % slower), so only this one has a second copy.
CAPM_DEFINE_PASS_FOR(pass_f32_avx512vl, float, x32, panel32, 8, CAPM_NEAREST8, CAPM_STORE8, record_f32, CAPM_NO_GROUP,
                     0, 8, 1, 1, "avx2,fma,avx512f,avx512vl")
CAPM_DEFINE_AVX2_PASS(pass_f32_avx2_lanes_panel, float, x32, panel32, 8, CAPM_NEAREST8LANES, CAPM_STORE8, record_f32,
                      CAPM_NO_GROUP, 0, 8, 1, 0)
CAPM_DEFINE_AVX2_PASS(pass_f32_avx2_wide, float, x32, panel32, 4, CAPM_NEAREST4X16, CAPM_STORE4, record_f32,
                      record_group_f32, 32, 8, 1, 0)
CAPM_DEFINE_AVX2_PASS(pass_f32_avx2_pair_panel, float, x32, panel32, 4, CAPM_NEAREST4PAIR, CAPM_STORE4, record_f32,
                      record_group_f32, 32, 8, 1, 1)

/// The Double pass with rows in lanes (d ≤ CAPM_LANES_MAX_D, lane panel ≤ CAPM_LANES_MAX_PANEL Doubles): builds
/// the lane panel on the stack and runs the pass with it in place of `panel64`.
__attribute__((target("avx2,fma"))) static capm_kmeans_result pass_f64_avx2_lanes(const capm_kmeans_pass *p) {
    double lanes[CAPM_LANES_MAX_PANEL] __attribute__((aligned(32)));
    build_lanes_panel(p->panel64, p->d, (p->k + 7) / 8, lanes);
    capm_kmeans_pass q = *p;
    q.panel64 = lanes;
    return pass_f64_avx2_lanes_panel(&q);
}

/// The Float pass with rows in lanes (d ≤ CAPM_LANES32_MAX_D, lane panel ≤ CAPM_LANES32_MAX_PANEL Floats): builds
/// the lane panel on the stack and runs the pass with it in place of `panel32`.
__attribute__((target("avx2,fma"))) static capm_kmeans_result pass_f32_avx2_lanes(const capm_kmeans_pass *p) {
    float lanes[CAPM_LANES32_MAX_PANEL] __attribute__((aligned(32)));
    build_lanes_panel32(p->panel32, p->d, (p->k + 7) / 8, lanes);
    capm_kmeans_pass q = *p;
    q.panel32 = lanes;
    return pass_f32_avx2_lanes_panel(&q);
}

/// The Float pass with the pair tile (k ≤ 8, d ≤ CAPM_PAIR_MAX_D): builds the interleaved panel on the stack and runs
/// the pass with it in place of `panel32`.
__attribute__((target("avx2,fma"))) static capm_kmeans_result pass_f32_avx2_pair(const capm_kmeans_pass *p) {
    float pairs[16 + 16 * (CAPM_PAIR_MAX_D / 2)];
    build_pair_panel(p->panel32, p->d, pairs);
    capm_kmeans_pass q = *p;
    q.panel32 = pairs;
    return pass_f32_avx2_pair_panel(&q);
}
/// The screened Double pass (see capm_kmeans_pass_f64), a three-stage software pipeline over batches of
/// CAPM_BATCH rows: while the Float 4 × 16 tile labels batch b (undecided rows relabelled by the Double 4 × 8 tile),
/// each step also centres 4 rows of batch b + 1 into the other half of the Float scratch `ys` (2 × CAPM_BATCH × d)
/// and records 4 rows of batch b − 1 from the Double rows, as the plain pass does. A separate centring loop per
/// batch ran its loads and conversions while the FMA units idled.
__attribute__((target("avx2,fma"), always_inline)) static inline capm_kmeans_result pass_f64_screened_mode(
    const capm_kmeans_pass *p, float *ys, const int mode, const int weighted, const size_t D) {
    const size_t d = D ? D : p->d, groups = (p->k + 7) / 8, rows = p->rows;
    const double *x = p->x64;
    const screen_bounds bounds = make_screen_bounds(p);
    sink o = make_sink(p);
    int64_t fallbacks = 0;
    int32_t labels[2][CAPM_BATCH];
    float thresholds[2][CAPM_BATCH];
    size_t pendingStart = 0, pendingCount = 0, cur = 0;
    if (rows == 0) return (capm_kmeans_result){0, 0, 0};
    {
        const size_t bn = rows < CAPM_BATCH ? rows : CAPM_BATCH;
        for (size_t q = 0; q < bn; q += 4)
            screen_prepare4(x + q * d, bn - q < 4 ? bn - q : 4, d, p->mean, &bounds, ys + q * d, thresholds[0] + q);
    }
    for (size_t b0 = 0; b0 < rows; b0 += CAPM_BATCH, cur ^= 1) {
        const size_t bn = rows - b0 < CAPM_BATCH ? rows - b0 : CAPM_BATCH;
        const size_t next = b0 + bn, nextCount = rows - next < CAPM_BATCH ? rows - next : CAPM_BATCH;
        float *here = ys + cur * CAPM_BATCH * d, *there = ys + (cur ^ 1) * CAPM_BATCH * d;
        size_t done = 0;
        for (size_t i0 = b0; i0 < b0 + bn; i0 += 4) {
            const size_t n = b0 + bn - i0 < 4 ? b0 + bn - i0 : 4, at = i0 - b0;
            {
                // Ahead of the rows being centred (batch b + 1), which are the first to read them. As in the plain
                // pass, no test for the end of the data: a prefetch never faults, and the address is an integer.
                const uintptr_t ahead =
                    (uintptr_t)(x + i0 * d) + CAPM_BATCH * d * sizeof(double) + CAPM_PREFETCH;
                for (size_t o_ = 0; o_ < 4 * d * sizeof(double); o_ += 64)
                    _mm_prefetch((const char *)(ahead + o_), CAPM_PREFETCH_HINT);
            }
            const float *r0 = here + at * d, *r1 = here + (at + (n > 1)) * d,
                        *r2 = here + (at + (n > 2 ? 2 : 0)) * d, *r3 = here + (at + (n > 3 ? 3 : 0)) * d;
            __m128 best, second;
            _mm_storeu_si128((__m128i *)(labels[cur] + at),
                             screen4x16_f32(r0, r1, r2, r3, p->screen32, d, groups, &best, &second));
            const int accepted =
                _mm_movemask_ps(_mm_cmpgt_ps(_mm_sub_ps(second, best), _mm_loadu_ps(thresholds[cur] + at)));
            const int wanted = (1 << n) - 1;
            if ((accepted & wanted) != wanted) {
                for (size_t t = 0; t < n; t++) {
                    if (accepted >> t & 1) continue;
                    const double *r = x + (i0 + t) * d;
                    labels[cur][at + t] = _mm_cvtsi128_si32(nearest4_f64(r, r, r, r, p->panel64, d, groups));
                    fallbacks++;
                }
            }
            if (at < nextCount)
                screen_prepare4(x + (next + at) * d, nextCount - at < 4 ? nextCount - at : 4, d, p->mean, &bounds,
                                there + at * d, thresholds[cur ^ 1] + at);
            const size_t until = done + 4 < pendingCount ? done + 4 : pendingCount;
            for (; done < until; done++)
                record_f64(&o, pendingStart + done, x + (pendingStart + done) * d, labels[cur ^ 1][done], mode,
                           weighted, d, 0);
        }
        for (; done < pendingCount; done++)
            record_f64(&o, pendingStart + done, x + (pendingStart + done) * d, labels[cur ^ 1][done], mode, weighted,
                       d, 0);
        if (mode == CAPM_CHANGES) move_changed(&o, pendingStart, labels[cur ^ 1], pendingCount, x, NULL, d);
        commit_labels(&o, pendingStart, labels[cur ^ 1], pendingCount);
        pendingStart = b0;
        pendingCount = bn;
    }
    for (size_t t = 0; t < pendingCount; t++)
        record_f64(&o, pendingStart + t, x + (pendingStart + t) * d, labels[cur ^ 1][t], mode, weighted, d, 0);
    if (mode == CAPM_CHANGES) move_changed(&o, pendingStart, labels[cur ^ 1], pendingCount, x, NULL, d);
    commit_labels(&o, pendingStart, labels[cur ^ 1], pendingCount);
    return (capm_kmeans_result){o.changed, o.inertia, fallbacks};
}

__attribute__((target("avx2,fma"))) static capm_kmeans_result pass_f64_screened_with(const capm_kmeans_pass *p,
                                                                                     float *ys) {
    const int weighted = p->weights != NULL;
    if (p->sums && p->changes_only) return pass_f64_screened_mode(p, ys, CAPM_CHANGES, 0, 0);
    if (p->sums && !weighted) {
        switch (p->d) {
        case 16: return pass_f64_screened_mode(p, ys, CAPM_UPDATE, 0, 16);
        case 32: return pass_f64_screened_mode(p, ys, CAPM_UPDATE, 0, 32);
        default: return pass_f64_screened_mode(p, ys, CAPM_UPDATE, 0, 0);
        }
    }
    if (p->sums) return pass_f64_screened_mode(p, ys, CAPM_UPDATE, 1, 0);
    if (p->centroids)
        return weighted ? pass_f64_screened_mode(p, ys, CAPM_EXACT, 1, 0) : pass_f64_screened_mode(p, ys, CAPM_EXACT, 0, 0);
    return pass_f64_screened_mode(p, ys, CAPM_ASSIGN, 0, 0);
}

/// The Float rows of two batches live on the stack up to d = 128 (64 KB), on the heap above; without memory the
/// pass runs unscreened (same labels).
static capm_kmeans_result pass_f64_screened(const capm_kmeans_pass *p) {
    if (p->d <= 128) {
        float ys[2 * CAPM_BATCH * 128];
        return pass_f64_screened_with(p, ys);
    }
    float *ys = malloc(sizeof(float) * 2 * CAPM_BATCH * p->d);
    if (!ys) return pass_f64_avx2(p);
    const capm_kmeans_result r = pass_f64_screened_with(p, ys);
    free(ys);
    return r;
}

#if CAPM_KMEANS_WINDOW % CAPM_BATCH != 0
#error "a window must be a whole number of batches"
#endif

#else
#define CAPM_KMEANS_HAVE_AVX2_CODE 0
int capm_kmeans_avx2_available(void) { return 0; }
void capm_kmeans_allow_avx512(int allowed) { (void)allowed; }
int capm_kmeans_avx512vl_available(void) { return 0; }
#endif

// ---------------------------------------------------------------------------------------------------------------
// Dispatch.

static capm_kmeans_result run(const capm_kmeans_pass *pass, capm_kmeans_result (*kernel)(const capm_kmeans_pass *)) {
    if (pass->sums && (!pass->cluster_weights || !pass->mean)) return (capm_kmeans_result){-1, NAN};
    if (pass->sums && pass->changes_only && pass->weights) return (capm_kmeans_result){-1, NAN};
    return kernel(pass);
}

static capm_kmeans_result run_f32(const capm_kmeans_pass *pass,
                                  capm_kmeans_result (*kernel)(const capm_kmeans_pass *)) {
    if (pass->sums && (!pass->cluster_weights || (!pass->weights && !pass->partial32)))
        return (capm_kmeans_result){-1, NAN};
    if (pass->sums && pass->changes_only && pass->weights) return (capm_kmeans_result){-1, NAN};
    return kernel(pass);
}

capm_kmeans_result capm_kmeans_pass_f64(const capm_kmeans_pass *pass, capm_kmeans_isa isa) {
#if CAPM_KMEANS_HAVE_AVX2_CODE
    // Centroid indices travel as Double lanes in the AVX2 kernel: exact far beyond any k that fits in memory.
    if (isa == CAPM_KMEANS_ISA_AVX2 && capm_kmeans_avx2_available() && pass->k < ((size_t)1 << 31)) {
        // The Float screen where it measured faster (see the header); its Float index lanes are exact below 2²⁴.
        if (pass->screen32 && pass->mean && pass->k >= 32 && pass->k * pass->d >= 512 && pass->k < ((size_t)1 << 24) &&
            pass->screen_centred_norm < 0x1p60 && pass->screen_norm < 0x1p60 && pass->screen_mean_norm < 0x1p60)
            return run(pass, pass_f64_screened);
        // Rows in lanes for small d, where it measured faster (see nearest4lanes_f64).
        const size_t lanePanel = (pass->k + 7) / 8 * (pass->d + 1) * 32;
        return run(pass, pass->d <= CAPM_LANES_MAX_D && lanePanel <= CAPM_LANES_MAX_PANEL ? pass_f64_avx2_lanes
                                                                                          : pass_f64_avx2);
    }
#endif
    (void)isa;
    return run(pass, pass_f64_portable);
}

capm_kmeans_result capm_kmeans_pass_f32(const capm_kmeans_pass *pass, capm_kmeans_isa isa) {
#if CAPM_KMEANS_HAVE_AVX2_CODE
    // Centroid indices travel as Float lanes: exact below 2²⁴.
    if (isa == CAPM_KMEANS_ISA_AVX2 && capm_kmeans_avx2_available() && pass->k < ((size_t)1 << 24)) {
        // The 4 × 16 tile from two groups of centroids on: measured faster for d ≥ 16 (1M × 32, k = 32: 33.6 → 28.8
        // ms; 1M × 32, k = 16: 19.4 → 16.6 ms), alike at d = 8–12 where the per-row costs of 4-row steps dominate.
        // The pair tile for one group (k ≤ 8) at d ≥ 24: measured faster at d = 32 (above), alike at d = 8–16.
        // Rows in lanes for d ≤ 8 and k > 8, where it measured faster (see nearest8lanes_f32).
        if (pass->k > 8 && pass->d <= CAPM_LANES32_MAX_D &&
            (pass->k + 7) / 8 * (pass->d + 1) * 64 <= CAPM_LANES32_MAX_PANEL)
            return run_f32(pass, pass_f32_avx2_lanes);
        if (pass->k <= 8 && pass->d >= 24 && pass->d <= CAPM_PAIR_MAX_D) return run_f32(pass, pass_f32_avx2_pair);
        if (pass->k > 8 && pass->d >= 16) return run_f32(pass, pass_f32_avx2_wide);
        // The 8 × 8 tile; for k ≤ 8 its AVX-512VL copy where the CPU has it (measured faster, see pass_f32_avx512vl).
        return run_f32(pass, pass->k <= 8 && capm_kmeans_avx512vl_available() ? pass_f32_avx512vl : pass_f32_avx2);
    }
#endif
    (void)isa;
    return run_f32(pass, pass_f32_portable);
}
