// Per-cluster distance sums of the silhouette (see CKMeansKernels.h): the same arithmetic as the scalar loop it
// replaced in Segmentation's `ClusterMetrics.silhouette`, in the same order, so the results are bit-identical: every
// distance is √(Σⱼ (aⱼ − bⱼ)²) with the squares added in feature order, multiply then add (no FMA), and each row's
// sum over a cluster adds its distances in ascending b. Several clusterings of the same sample (the candidate k of an
// automatic choice) share each distance: it is computed once and added to one slot per clustering. The AVX2 version only puts independent distances side by
// side: 4 rows a × 4 rows b per step, the b rows read from a feature-major copy (4 rows per block, one load per
// feature), the a rows broadcast. Subtractions and additions both run on Zen 3's two FP add pipes, which bounds the
// loop at one cycle per 4 pairs and feature; it measured 1.5–1.8 (10,000 × 32: 4.1 ns per pair, against 27 ns for
// the portable loop; 8 rows b per step, to share each broadcast, measured the same).
#include "CKMeansKernels.h"

#include <math.h>
#include <stdlib.h>

#pragma STDC FP_CONTRACT OFF

static void silhouette_portable(const capm_silhouette_pass *p) {
    const size_t d = p->d, width = p->width, m = p->m;
    for (size_t r = 0; r < p->count; r++) {
        const double *a = p->x + (p->first + r) * d;
        double *sums = p->sums + r * width;
        for (size_t t = 0; t < width; t++) sums[t] = 0;
        for (size_t b = 0; b < m; b++) {
            const double *row = p->x + b * d;
            double s = 0;
            for (size_t j = 0; j < d; j++) {
                const double u = a[j] - row[j];
                s += u * u;
            }
            const double distance = sqrt(s);
            for (size_t q = 0; q < p->labelings; q++) sums[p->slots[q * m + b]] += distance;
        }
    }
}

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#define CAPM_SILHOUETTE_HAVE_AVX2_CODE 1
#include <immintrin.h>

#include "transpose_avx2.h"

/// Rows a in groups of 4 (a group's missing rows duplicate its first) against the 4 rows b of every block: adds each
/// distance to the a row's sum for b's cluster, in each clustering. The group's sums are kept slot-major (`acc`, the
/// 4 rows of a slot side by side), so after a 4 × 4 transpose one vector add per b row and clustering adds its
/// distances to all 4 rows — the same additions in the same order as 4 scalar adds (perf: the scalar adds of 9
/// clusterings took most of the pass; 1M × 32, `--k auto`, 2…10: 10 % of the cycles).
__attribute__((target("avx2,fma"))) static void silhouette_avx2(const capm_silhouette_pass *p) {
    const size_t d = p->d, width = p->width, m = p->m, blocks = (m + 3) / 4;
    double *acc = malloc(width * 4 * sizeof(double));
    if (!acc) {
        silhouette_portable(p);
        return;
    }
    for (size_t r0 = 0; r0 < p->count; r0 += 4) {
        const size_t rows = p->count - r0 < 4 ? p->count - r0 : 4;
        const double *a[4];
        for (size_t r = 0; r < 4; r++) a[r] = p->x + (p->first + r0 + (r < rows ? r : 0)) * d;
        for (size_t t = 0; t < 4 * width; t++) acc[t] = 0;
        for (size_t q = 0; q < blocks; q++) {
            const double *block = p->blocks + q * 4 * d;
            __m256d s0 = _mm256_setzero_pd(), s1 = s0, s2 = s0, s3 = s0;
            for (size_t j = 0; j < d; j++) {
                const __m256d b = _mm256_loadu_pd(block + 4 * j);
                const __m256d u0 = _mm256_sub_pd(_mm256_broadcast_sd(a[0] + j), b);
                const __m256d u1 = _mm256_sub_pd(_mm256_broadcast_sd(a[1] + j), b);
                const __m256d u2 = _mm256_sub_pd(_mm256_broadcast_sd(a[2] + j), b);
                const __m256d u3 = _mm256_sub_pd(_mm256_broadcast_sd(a[3] + j), b);
                s0 = _mm256_add_pd(s0, _mm256_mul_pd(u0, u0));
                s1 = _mm256_add_pd(s1, _mm256_mul_pd(u1, u1));
                s2 = _mm256_add_pd(s2, _mm256_mul_pd(u2, u2));
                s3 = _mm256_add_pd(s3, _mm256_mul_pd(u3, u3));
            }
            // s_r holds row a_r's distances to the block's 4 rows b; transposed, column l holds the 4 rows a's
            // distances to row b = 4q + l.
            s0 = _mm256_sqrt_pd(s0);
            s1 = _mm256_sqrt_pd(s1);
            s2 = _mm256_sqrt_pd(s2);
            s3 = _mm256_sqrt_pd(s3);
            __m256d column[4];
            capm_transpose4_pd(s0, s1, s2, s3, column);
            const size_t lanes = m - 4 * q < 4 ? m - 4 * q : 4;
            for (size_t l = 0; l < lanes; l++) {
                for (size_t g = 0; g < p->labelings; g++) {
                    double *slot = acc + 4 * (size_t)p->slots[g * m + 4 * q + l];
                    _mm256_storeu_pd(slot, _mm256_add_pd(_mm256_loadu_pd(slot), column[l]));
                }
            }
        }
        for (size_t r = 0; r < rows; r++) {
            double *sums = p->sums + (r0 + r) * width;
            for (size_t t = 0; t < width; t++) sums[t] = acc[4 * t + r];
        }
    }
    free(acc);
}
#else
#define CAPM_SILHOUETTE_HAVE_AVX2_CODE 0
#endif

void capm_silhouette_sums(const capm_silhouette_pass *pass, capm_kmeans_isa isa) {
#if CAPM_SILHOUETTE_HAVE_AVX2_CODE
    if (isa == CAPM_KMEANS_ISA_AVX2 && capm_kmeans_avx2_available() && pass->blocks) {
        silhouette_avx2(pass);
        return;
    }
#endif
    (void)isa;
    silhouette_portable(pass);
}
