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

/// 8 × 8 transpose of Floats: with a[0]…a[7] the rows of an 8 × 8 block, `out[q]` is its column q — lane q of
/// a[0]…a[7], in that order. Data moves only (8 unpacks, 8 shuffles, 8 lane permutes), so values come out bit for bit.
__attribute__((target("avx2"), always_inline)) static inline void capm_transpose8_ps(const __m256 a[8], __m256 out[8]) {
    const __m256 t0 = _mm256_unpacklo_ps(a[0], a[1]), t1 = _mm256_unpackhi_ps(a[0], a[1]);
    const __m256 t2 = _mm256_unpacklo_ps(a[2], a[3]), t3 = _mm256_unpackhi_ps(a[2], a[3]);
    const __m256 t4 = _mm256_unpacklo_ps(a[4], a[5]), t5 = _mm256_unpackhi_ps(a[4], a[5]);
    const __m256 t6 = _mm256_unpacklo_ps(a[6], a[7]), t7 = _mm256_unpackhi_ps(a[6], a[7]);
    const __m256 u0 = _mm256_shuffle_ps(t0, t2, 0x44), u1 = _mm256_shuffle_ps(t0, t2, 0xEE);
    const __m256 u2 = _mm256_shuffle_ps(t1, t3, 0x44), u3 = _mm256_shuffle_ps(t1, t3, 0xEE);
    const __m256 u4 = _mm256_shuffle_ps(t4, t6, 0x44), u5 = _mm256_shuffle_ps(t4, t6, 0xEE);
    const __m256 u6 = _mm256_shuffle_ps(t5, t7, 0x44), u7 = _mm256_shuffle_ps(t5, t7, 0xEE);
    out[0] = _mm256_permute2f128_ps(u0, u4, 0x20);
    out[1] = _mm256_permute2f128_ps(u1, u5, 0x20);
    out[2] = _mm256_permute2f128_ps(u2, u6, 0x20);
    out[3] = _mm256_permute2f128_ps(u3, u7, 0x20);
    out[4] = _mm256_permute2f128_ps(u0, u4, 0x31);
    out[5] = _mm256_permute2f128_ps(u1, u5, 0x31);
    out[6] = _mm256_permute2f128_ps(u2, u6, 0x31);
    out[7] = _mm256_permute2f128_ps(u3, u7, 0x31);
}

#endif
