// Shared AVX2 piece of the C kernels (private to the CKMeansKernels target; include after <immintrin.h>, inside
// the kernels' x86-64 sections).
#ifndef CAPM_TRANSPOSE_AVX2_H
#define CAPM_TRANSPOSE_AVX2_H

/// 4 × 4 transpose of Doubles: with a, b, c, e the rows of a 4 × 4 block, `out[q]` is its column q — lane q of a, b,
/// c and e, in that order. Data moves only (4 unpacks, 4 lane permutes), so values come out bit for bit.
__attribute__((target("avx2"), always_inline)) static inline void capm_transpose4_pd(__m256d a, __m256d b, __m256d c,
                                                                                    __m256d e, __m256d out[4]) {
    const __m256d u0 = _mm256_unpacklo_pd(a, b), u1 = _mm256_unpackhi_pd(a, b);
    const __m256d u2 = _mm256_unpacklo_pd(c, e), u3 = _mm256_unpackhi_pd(c, e);
    out[0] = _mm256_permute2f128_pd(u0, u2, 0x20);
    out[1] = _mm256_permute2f128_pd(u1, u3, 0x20);
    out[2] = _mm256_permute2f128_pd(u0, u2, 0x31);
    out[3] = _mm256_permute2f128_pd(u1, u3, 0x31);
}

#endif
