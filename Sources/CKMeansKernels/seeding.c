// k-means++ seeding passes (see CKMeansKernels.h): the same arithmetic as Segmentation's Swift reference
// (`KMeans.candidatePotentials`, `KMeans.updateClosest`), in the same order, so the results are bit-identical:
// every squared distance is Σⱼ (xⱼ − cⱼ)² added in feature order, multiply then add (no FMA); sums over rows are
// added in row order. The AVX2 versions only put independent sums side by side in vector lanes: 4 or 8 candidates
// per row (candidate potentials) or 4 rows per candidate (closest update; a 4 × 4 transpose brings 4 rows' features
// into lanes). The scalar loop's 3-cycle add chain per feature had made the closest update latency-bound.
//
// The candidate pass can also carry the previous step's chosen centroid in its last lane (`pending`) and lower each
// row's D(xᵢ)² to it before capping the candidates: the closest update then needs no pass of its own.
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
    const size_t d = p->d, width = p->width;
    double total[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    for (size_t i = 0; i < p->rows; i++) {
        const double *row = p->x + i * d;
        double acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
        for (size_t j = 0; j < d; j++) {
            for (size_t t = 0; t < width; t++) {
                const double u = row[j] - p->lanes[width * j + t];
                acc[t] += u * u;
            }
        }
        double near = p->closest[i];
        if (p->pending) p->closest[i] = near = swift_min(near, acc[width - 1]);
        const double w = p->weights ? p->weights[i] : 1.0;
        for (size_t t = 0; t < width; t++) total[t] += w * (acc[t] > near ? near : acc[t]);
    }
    for (size_t t = 0; t < 8; t++) p->potentials[t] = t < width ? total[t] : INFINITY;
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

#include "transpose_avx2.h"
#define CAPM_SEED_HAVE_AVX2_CODE 1

/// Row i's candidate distances, lanes (l0, l1) into (acc0, acc1), each lane Σⱼ in feature order.
#define CAPM_SEED_STEP(row, l, acc)                              \
    do {                                                         \
        const __m256d u_ = _mm256_sub_pd(_mm256_broadcast_sd((row) + j), l); \
        acc = _mm256_add_pd(acc, _mm256_mul_pd(u_, u_));         \
    } while (0)

/// Row i's D(xᵢ)², broadcast: lowered to the pending centroid's distance `last` (a vector whose lane 3 is the last
/// lane of the row) and stored back when the pass carries one.
__attribute__((target("avx2,fma"), always_inline)) static inline __m256d closest_of(const capm_kmeans_seed_pass *p,
                                                                                     size_t i, __m256d last) {
    const __m256d old = _mm256_set1_pd(p->closest[i]);
    if (!p->pending) return old;
    const __m256d s = _mm256_permute4x64_pd(last, 0xFF);
    // s < old ? s : old = Swift's min(old, s).
    const __m256d near = _mm256_blendv_pd(old, s, _mm256_cmp_pd(s, old, _CMP_LT_OQ));
    _mm_storel_pd(p->closest + i, _mm256_castpd256_pd128(near));
    return near;
}

/// Adds row i's distances capped at `near`, weighted, to the total (row order).
__attribute__((target("avx2,fma"), always_inline)) static inline __m256d add_capped(const capm_kmeans_seed_pass *p,
                                                                                     size_t i, __m256d acc,
                                                                                     __m256d near, __m256d total) {
    // acc > near ? near : acc (a NaN acc stays, as in the scalar form).
    const __m256d c = _mm256_blendv_pd(acc, near, _mm256_cmp_pd(acc, near, _CMP_GT_OQ));
    const __m256d w = _mm256_set1_pd(p->weights ? p->weights[i] : 1.0);
    return _mm256_add_pd(total, _mm256_mul_pd(w, c));
}

/// 8 lanes: two vectors per row, four rows per step (8 independent add chains; each row's own chain is still in
/// feature order).
__attribute__((target("avx2,fma"))) static void potentials8_avx2(capm_kmeans_seed_pass *p) {
    const size_t d = p->d;
    __m256d total0 = _mm256_setzero_pd(), total1 = _mm256_setzero_pd();
    size_t i = 0;
    for (; i + 4 <= p->rows; i += 4) {
        const double *r0 = p->x + i * d, *r1 = r0 + d, *r2 = r1 + d, *r3 = r2 + d;
        __m256d a0 = _mm256_setzero_pd(), b0 = a0, a1 = a0, b1 = a0, a2 = a0, b2 = a0, a3 = a0, b3 = a0;
        const double *lane = p->lanes;
        for (size_t j = 0; j < d; j++, lane += 8) {
            const __m256d l0 = _mm256_loadu_pd(lane), l1 = _mm256_loadu_pd(lane + 4);
            CAPM_SEED_STEP(r0, l0, a0);
            CAPM_SEED_STEP(r0, l1, b0);
            CAPM_SEED_STEP(r1, l0, a1);
            CAPM_SEED_STEP(r1, l1, b1);
            CAPM_SEED_STEP(r2, l0, a2);
            CAPM_SEED_STEP(r2, l1, b2);
            CAPM_SEED_STEP(r3, l0, a3);
            CAPM_SEED_STEP(r3, l1, b3);
        }
        const __m256d n0 = closest_of(p, i, b0), n1 = closest_of(p, i + 1, b1);
        const __m256d n2 = closest_of(p, i + 2, b2), n3 = closest_of(p, i + 3, b3);
        total0 = add_capped(p, i, a0, n0, total0);
        total1 = add_capped(p, i, b0, n0, total1);
        total0 = add_capped(p, i + 1, a1, n1, total0);
        total1 = add_capped(p, i + 1, b1, n1, total1);
        total0 = add_capped(p, i + 2, a2, n2, total0);
        total1 = add_capped(p, i + 2, b2, n2, total1);
        total0 = add_capped(p, i + 3, a3, n3, total0);
        total1 = add_capped(p, i + 3, b3, n3, total1);
    }
    for (; i < p->rows; i++) {
        const double *r0 = p->x + i * d;
        __m256d a0 = _mm256_setzero_pd(), b0 = a0;
        const double *lane = p->lanes;
        for (size_t j = 0; j < d; j++, lane += 8) {
            const __m256d l0 = _mm256_loadu_pd(lane), l1 = _mm256_loadu_pd(lane + 4);
            CAPM_SEED_STEP(r0, l0, a0);
            CAPM_SEED_STEP(r0, l1, b0);
        }
        const __m256d n0 = closest_of(p, i, b0);
        total0 = add_capped(p, i, a0, n0, total0);
        total1 = add_capped(p, i, b0, n0, total1);
    }
    _mm256_storeu_pd(p->potentials, total0);
    _mm256_storeu_pd(p->potentials + 4, total1);
}

/// 4 lanes (at most 3 candidates and the pending centroid, or 4 candidates): one vector per row, half the work of
/// the 8-lane pass, four rows per step.
__attribute__((target("avx2,fma"))) static void potentials4_avx2(capm_kmeans_seed_pass *p) {
    const size_t d = p->d;
    __m256d total = _mm256_setzero_pd();
    size_t i = 0;
    for (; i + 4 <= p->rows; i += 4) {
        const double *r0 = p->x + i * d, *r1 = r0 + d, *r2 = r1 + d, *r3 = r2 + d;
        __m256d a0 = _mm256_setzero_pd(), a1 = a0, a2 = a0, a3 = a0;
        const double *lane = p->lanes;
        for (size_t j = 0; j < d; j++, lane += 4) {
            const __m256d l = _mm256_loadu_pd(lane);
            CAPM_SEED_STEP(r0, l, a0);
            CAPM_SEED_STEP(r1, l, a1);
            CAPM_SEED_STEP(r2, l, a2);
            CAPM_SEED_STEP(r3, l, a3);
        }
        const __m256d n0 = closest_of(p, i, a0), n1 = closest_of(p, i + 1, a1);
        const __m256d n2 = closest_of(p, i + 2, a2), n3 = closest_of(p, i + 3, a3);
        total = add_capped(p, i, a0, n0, total);
        total = add_capped(p, i + 1, a1, n1, total);
        total = add_capped(p, i + 2, a2, n2, total);
        total = add_capped(p, i + 3, a3, n3, total);
    }
    for (; i < p->rows; i++) {
        const double *r0 = p->x + i * d;
        __m256d a0 = _mm256_setzero_pd();
        const double *lane = p->lanes;
        for (size_t j = 0; j < d; j++, lane += 4) CAPM_SEED_STEP(r0, _mm256_loadu_pd(lane), a0);
        total = add_capped(p, i, a0, closest_of(p, i, a0), total);
    }
    _mm256_storeu_pd(p->potentials, total);
    for (int t = 4; t < 8; t++) p->potentials[t] = INFINITY;
}

/// Squared distances of rows r…r+3 to the center, one row per lane, each Σⱼ in feature order.
__attribute__((target("avx2,fma"), always_inline)) static inline __m256d distances4(const double *x, size_t d,
                                                                                     const double *center) {
    const double *r0 = x, *r1 = x + d, *r2 = x + 2 * d, *r3 = x + 3 * d;
    __m256d acc = _mm256_setzero_pd();
    size_t j = 0;
    for (; j + 4 <= d; j += 4) {
        // 4 × 4 transpose: t[q] holds feature j + q of the 4 rows.
        __m256d t[4];
        capm_transpose4_pd(_mm256_loadu_pd(r0 + j), _mm256_loadu_pd(r1 + j), _mm256_loadu_pd(r2 + j),
                           _mm256_loadu_pd(r3 + j), t);
        __m256d u = _mm256_sub_pd(t[0], _mm256_broadcast_sd(center + j));
        acc = _mm256_add_pd(acc, _mm256_mul_pd(u, u));
        u = _mm256_sub_pd(t[1], _mm256_broadcast_sd(center + j + 1));
        acc = _mm256_add_pd(acc, _mm256_mul_pd(u, u));
        u = _mm256_sub_pd(t[2], _mm256_broadcast_sd(center + j + 2));
        acc = _mm256_add_pd(acc, _mm256_mul_pd(u, u));
        u = _mm256_sub_pd(t[3], _mm256_broadcast_sd(center + j + 3));
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
        if (pass->width == 4)
            potentials4_avx2(pass);
        else
            potentials8_avx2(pass);
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
