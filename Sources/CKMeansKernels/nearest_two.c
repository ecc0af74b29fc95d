// The nearest two centroids of one row, for Hamerly's full search (see CKMeansKernels.h): the same arithmetic as the
// scalar Swift loop it replaced in `KMeans.hamerlyPass`, in the same order, so the bits are the same: every squared
// distance is Σⱼ (xⱼ − cⱼ)² added in feature order, multiply then add (no FMA), and the centroids are visited in
// index order. The AVX2 version only puts 8 centroids' independent sums side by side.
#include "CKMeansKernels.h"

#include <math.h>

#pragma STDC FP_CONTRACT OFF

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#define CAPM_NEAREST_TWO_HAVE_AVX2_CODE 1
#include <immintrin.h>
#else
#define CAPM_NEAREST_TWO_HAVE_AVX2_CODE 0
#endif

static capm_nearest_two nearest_two_portable(const double *x, const double *centroids, size_t k, size_t d) {
    capm_nearest_two r = {0, INFINITY, INFINITY};
    for (size_t c = 0; c < k; c++) {
        const double *center = centroids + c * d;
        double s = 0;
        for (size_t j = 0; j < d; j++) {
            const double u = x[j] - center[j];
            s += u * u;
        }
        if (s < r.best) {
            r.second = r.best;
            r.best = s;
            r.index = (int32_t)c;
        } else if (s < r.second) {
            r.second = s;
        }
    }
    return r;
}

#if CAPM_NEAREST_TWO_HAVE_AVX2_CODE
/// 4 centroids per vector (feature-major blocks), two blocks per step so that each broadcast of xⱼ serves 8
/// centroids; the lanes are then folded into the running pair in centroid order, exactly as the scalar loop does.
__attribute__((target("avx2,fma"))) static capm_nearest_two nearest_two_avx2(const double *x, const double *blocks,
                                                                          size_t k, size_t d) {
    capm_nearest_two r = {0, INFINITY, INFINITY};
    const size_t count = (k + 3) / 4;
    for (size_t q = 0; q < count; q += 2) {
        const int pair = count - q >= 2;
        const double *b0 = blocks + q * 4 * d, *b1 = pair ? b0 + 4 * d : b0;
        __m256d s0 = _mm256_setzero_pd(), s1 = s0;
        for (size_t j = 0; j < d; j++) {
            const __m256d v = _mm256_broadcast_sd(x + j);
            const __m256d u0 = _mm256_sub_pd(v, _mm256_loadu_pd(b0 + 4 * j));
            const __m256d u1 = _mm256_sub_pd(v, _mm256_loadu_pd(b1 + 4 * j));
            s0 = _mm256_add_pd(s0, _mm256_mul_pd(u0, u0));
            s1 = _mm256_add_pd(s1, _mm256_mul_pd(u1, u1));
        }
        double s[8];
        _mm256_storeu_pd(s, s0);
        _mm256_storeu_pd(s + 4, s1);
        const size_t first = 4 * q, lanes = k - first < (pair ? 8 : 4) ? k - first : (pair ? 8 : 4);
        for (size_t l = 0; l < lanes; l++) {
            if (s[l] < r.best) {
                r.second = r.best;
                r.best = s[l];
                r.index = (int32_t)(first + l);
            } else if (s[l] < r.second) {
                r.second = s[l];
            }
        }
    }
    return r;
}
#endif

capm_nearest_two capm_kmeans_nearest_two(const double *x, const double *centroids, const double *blocks, size_t k,
                                         size_t d, capm_kmeans_isa isa) {
#if CAPM_NEAREST_TWO_HAVE_AVX2_CODE
    if (isa == CAPM_KMEANS_ISA_AVX2 && blocks && capm_kmeans_avx2_available()) return nearest_two_avx2(x, blocks, k, d);
#endif
    (void)isa;
    (void)blocks;
    return nearest_two_portable(x, centroids, k, d);
}
