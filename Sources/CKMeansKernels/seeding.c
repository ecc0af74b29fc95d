// k-means++ seeding passes (see CKMeansKernels.h): the same arithmetic as Segmentation's Swift reference
// (`KMeans.candidatePotentials`, `KMeans.updateClosest`), in the same order, so the results are bit-identical:
// every squared distance is Σⱼ (xⱼ − cⱼ)² added in feature order, multiply then add (no FMA); sums over rows are
// added in row order. The AVX2 versions only put independent sums side by side in vector lanes: 8 candidates per
// row (candidate potentials) or 4 rows per candidate (closest update; a 4 × 4 transpose brings 4 rows' features
// into lanes). The scalar loop's 3-cycle add chain per feature had made the closest update latency-bound.
#include "CKMeansKernels.h"

#include <math.h>

#pragma STDC FP_CONTRACT OFF

/// Σⱼ (aⱼ − bⱼ)² in feature order.
static inline double squared_distance(const double *a, const double *b, size_t d) {
    double s = 0;
    for (size_t j = 0; j < d; j++) {
        const double t = a[j] - b[j];
        s += t * t;
    }
    return s;
}

/// Swift's `min(x, y)`: `y < x ? y : x`.
static inline double swift_min(double x, double y) { return y < x ? y : x; }

static void potentials_portable(capm_kmeans_seed_pass *p) {
    const size_t d = p->d;
    double total[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    for (size_t i = 0; i < p->rows; i++) {
        const double *row = p->x + i * d;
        double acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
        for (size_t j = 0; j < d; j++) {
            for (int t = 0; t < 8; t++) {
                const double u = row[j] - p->lanes[8 * j + t];
                acc[t] += u * u;
            }
        }
        const double near = p->closest[i];
        const double w = p->weights ? p->weights[i] : 1.0;
        for (int t = 0; t < 8; t++) total[t] += w * (acc[t] > near ? near : acc[t]);
    }
    for (int t = 0; t < 8; t++) p->potentials[t] = total[t];
}

static double update_portable(const capm_kmeans_seed_pass *p) {
    double sum = 0;
    for (size_t i = 0; i < p->rows; i++) {
        const double s = squared_distance(p->x + i * p->d, p->center, p->d);
        const double v = p->initialise ? s : swift_min(p->closest[i], s);
        p->closest[i] = v;
        sum += (p->weights ? p->weights[i] : 1.0) * v;
    }
    return sum;
}

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>
#define CAPM_SEED_HAVE_AVX2_CODE 1

/// Row i's 8 candidate distances (two vectors), each lane Σⱼ in feature order.
#define CAPM_SEED_ROW(row, acc0, acc1)                                        \
    do {                                                                      \
        const __m256d x_ = _mm256_broadcast_sd((row) + j);                    \
        const __m256d u0_ = _mm256_sub_pd(x_, l0), u1_ = _mm256_sub_pd(x_, l1); \
        acc0 = _mm256_add_pd(acc0, _mm256_mul_pd(u0_, u0_));                  \
        acc1 = _mm256_add_pd(acc1, _mm256_mul_pd(u1_, u1_));                  \
    } while (0)

/// Adds row i's capped distances, weighted, to the totals (row order).
__attribute__((target("avx2,fma"), always_inline)) static inline void add_capped(const capm_kmeans_seed_pass *p,
                                                                              size_t i, __m256d acc0, __m256d acc1,
                                                                              __m256d *total0, __m256d *total1) {
    const __m256d near = _mm256_set1_pd(p->closest[i]);
    // acc > near ? near : acc (a NaN acc stays, as in the scalar form).
    const __m256d c0 = _mm256_blendv_pd(acc0, near, _mm256_cmp_pd(acc0, near, _CMP_GT_OQ));
    const __m256d c1 = _mm256_blendv_pd(acc1, near, _mm256_cmp_pd(acc1, near, _CMP_GT_OQ));
    const __m256d w = _mm256_set1_pd(p->weights ? p->weights[i] : 1.0);
    *total0 = _mm256_add_pd(*total0, _mm256_mul_pd(w, c0));
    *total1 = _mm256_add_pd(*total1, _mm256_mul_pd(w, c1));
}

__attribute__((target("avx2,fma"))) static void potentials_avx2(capm_kmeans_seed_pass *p) {
    const size_t d = p->d;
    __m256d total0 = _mm256_setzero_pd(), total1 = _mm256_setzero_pd();
    size_t i = 0;
    // Four rows per step: 8 independent add chains (each row's own chain is still in feature order).
    for (; i + 4 <= p->rows; i += 4) {
        const double *r0 = p->x + i * d, *r1 = r0 + d, *r2 = r1 + d, *r3 = r2 + d;
        __m256d a0 = _mm256_setzero_pd(), b0 = a0, a1 = a0, b1 = a0, a2 = a0, b2 = a0, a3 = a0, b3 = a0;
        const double *lane = p->lanes;
        for (size_t j = 0; j < d; j++, lane += 8) {
            const __m256d l0 = _mm256_loadu_pd(lane), l1 = _mm256_loadu_pd(lane + 4);
            CAPM_SEED_ROW(r0, a0, b0);
            CAPM_SEED_ROW(r1, a1, b1);
            CAPM_SEED_ROW(r2, a2, b2);
            CAPM_SEED_ROW(r3, a3, b3);
        }
        add_capped(p, i, a0, b0, &total0, &total1);
        add_capped(p, i + 1, a1, b1, &total0, &total1);
        add_capped(p, i + 2, a2, b2, &total0, &total1);
        add_capped(p, i + 3, a3, b3, &total0, &total1);
    }
    for (; i < p->rows; i++) {
        const double *r0 = p->x + i * d;
        __m256d a0 = _mm256_setzero_pd(), b0 = a0;
        const double *lane = p->lanes;
        for (size_t j = 0; j < d; j++, lane += 8) {
            const __m256d l0 = _mm256_loadu_pd(lane), l1 = _mm256_loadu_pd(lane + 4);
            CAPM_SEED_ROW(r0, a0, b0);
        }
        add_capped(p, i, a0, b0, &total0, &total1);
    }
    _mm256_storeu_pd(p->potentials, total0);
    _mm256_storeu_pd(p->potentials + 4, total1);
}

/// Squared distances of rows r…r+3 to the center, one row per lane, each Σⱼ in feature order.
__attribute__((target("avx2,fma"), always_inline)) static inline __m256d distances4(const double *x, size_t d,
                                                                                     const double *center) {
    const double *r0 = x, *r1 = x + d, *r2 = x + 2 * d, *r3 = x + 3 * d;
    __m256d acc = _mm256_setzero_pd();
    size_t j = 0;
    for (; j + 4 <= d; j += 4) {
        // 4 × 4 transpose: t_q holds feature j + q of the 4 rows.
        const __m256d a = _mm256_loadu_pd(r0 + j), b = _mm256_loadu_pd(r1 + j);
        const __m256d c = _mm256_loadu_pd(r2 + j), e = _mm256_loadu_pd(r3 + j);
        const __m256d ab0 = _mm256_unpacklo_pd(a, b), ab1 = _mm256_unpackhi_pd(a, b);
        const __m256d ce0 = _mm256_unpacklo_pd(c, e), ce1 = _mm256_unpackhi_pd(c, e);
        const __m256d t0 = _mm256_permute2f128_pd(ab0, ce0, 0x20), t1 = _mm256_permute2f128_pd(ab1, ce1, 0x20);
        const __m256d t2 = _mm256_permute2f128_pd(ab0, ce0, 0x31), t3 = _mm256_permute2f128_pd(ab1, ce1, 0x31);
        __m256d u = _mm256_sub_pd(t0, _mm256_broadcast_sd(center + j));
        acc = _mm256_add_pd(acc, _mm256_mul_pd(u, u));
        u = _mm256_sub_pd(t1, _mm256_broadcast_sd(center + j + 1));
        acc = _mm256_add_pd(acc, _mm256_mul_pd(u, u));
        u = _mm256_sub_pd(t2, _mm256_broadcast_sd(center + j + 2));
        acc = _mm256_add_pd(acc, _mm256_mul_pd(u, u));
        u = _mm256_sub_pd(t3, _mm256_broadcast_sd(center + j + 3));
        acc = _mm256_add_pd(acc, _mm256_mul_pd(u, u));
    }
    for (; j < d; j++) {
        const __m256d u = _mm256_sub_pd(_mm256_setr_pd(r0[j], r1[j], r2[j], r3[j]), _mm256_broadcast_sd(center + j));
        acc = _mm256_add_pd(acc, _mm256_mul_pd(u, u));
    }
    return acc;
}

__attribute__((target("avx2,fma"))) static double update_avx2(const capm_kmeans_seed_pass *p) {
    const size_t d = p->d;
    double sum = 0;
    size_t i = 0;
    // Four independent groups of 4 rows per step: each group's add chain has d dependent adds.
    for (; i + 16 <= p->rows; i += 16) {
        __m256d v[4];
        for (int g = 0; g < 4; g++) v[g] = distances4(p->x + (i + 4 * g) * d, d, p->center);
        for (int g = 0; g < 4; g++) {
            // min_pd(s, old) = s < old ? s : old = Swift's min(old, s).
            if (!p->initialise) v[g] = _mm256_min_pd(v[g], _mm256_loadu_pd(p->closest + i + 4 * g));
            _mm256_storeu_pd(p->closest + i + 4 * g, v[g]);
        }
        for (int r = 0; r < 16; r++) sum += (p->weights ? p->weights[i + r] : 1.0) * p->closest[i + r];
    }
    for (; i < p->rows; i++) {
        const double s = squared_distance(p->x + i * d, p->center, d);
        const double v = p->initialise ? s : swift_min(p->closest[i], s);
        p->closest[i] = v;
        sum += (p->weights ? p->weights[i] : 1.0) * v;
    }
    return sum;
}
#else
#define CAPM_SEED_HAVE_AVX2_CODE 0
#endif

void capm_kmeans_candidate_potentials(capm_kmeans_seed_pass *pass, capm_kmeans_isa isa) {
#if CAPM_SEED_HAVE_AVX2_CODE
    if (isa == CAPM_KMEANS_ISA_AVX2 && capm_kmeans_avx2_available()) {
        potentials_avx2(pass);
        return;
    }
#endif
    (void)isa;
    potentials_portable(pass);
}

double capm_kmeans_update_closest(const capm_kmeans_seed_pass *pass, capm_kmeans_isa isa) {
#if CAPM_SEED_HAVE_AVX2_CODE
    if (isa == CAPM_KMEANS_ISA_AVX2 && capm_kmeans_avx2_available()) return update_avx2(pass);
#endif
    (void)isa;
    return update_portable(pass);
}
