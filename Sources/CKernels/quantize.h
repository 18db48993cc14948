// Activation rows quantized for the dot products: x86 ggml's `quantize_row_q8_0` and
// `quantize_row_q8_1` (its AVX2 path), byte for byte the Swift quantizers (BlockQ8_0,
// BlockQ8_1). A decode step quantizes every matmul's input on one thread before the others
// can start, so these sit on its critical path.
//
// Per 32 values: amax = the largest |x|, d = amax / 127, each x · (127 / amax) rounded half to
// even (the conversion's rounding) and saturated to int8; q8_1 adds s = d · Σq. d and s are
// stored as f16, rounded to nearest even.

/// One block's quants as 32 bytes in value order; `*d` gets its float scale.
CK_INLINE __m256i ck_activation_block(const float *x, float *d) {
    const __m256 sign = _mm256_set1_ps(-0.0f);
    const __m256 v0 = _mm256_loadu_ps(x), v1 = _mm256_loadu_ps(x + 8);
    const __m256 v2 = _mm256_loadu_ps(x + 16), v3 = _mm256_loadu_ps(x + 24);
    const __m256 m = _mm256_max_ps(_mm256_max_ps(_mm256_andnot_ps(sign, v0), _mm256_andnot_ps(sign, v1)),
                                   _mm256_max_ps(_mm256_andnot_ps(sign, v2), _mm256_andnot_ps(sign, v3)));
    __m128 m4 = _mm_max_ps(_mm256_extractf128_ps(m, 1), _mm256_castps256_ps128(m));
    m4 = _mm_max_ps(m4, _mm_movehl_ps(m4, m4));
    m4 = _mm_max_ss(m4, _mm_movehdup_ps(m4));
    const float amax = _mm_cvtss_f32(m4);
    *d = amax / 127.f;
    const __m256 scale = _mm256_set1_ps(amax != 0.f ? 127.f / amax : 0.f);
    // Converted with the default rounding (to nearest even), packed with saturation: the
    // packs interleave 128-bit halves, and the permutation puts the values back in order.
    const __m256i i0 = _mm256_cvtps_epi32(_mm256_mul_ps(v0, scale)), i1 = _mm256_cvtps_epi32(_mm256_mul_ps(v1, scale));
    const __m256i i2 = _mm256_cvtps_epi32(_mm256_mul_ps(v2, scale)), i3 = _mm256_cvtps_epi32(_mm256_mul_ps(v3, scale));
    const __m256i bytes = _mm256_packs_epi16(_mm256_packs_epi32(i0, i1), _mm256_packs_epi32(i2, i3));
    return _mm256_permutevar8x32_epi32(bytes, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
}

void CK_NAME(ck_quantize_q8_0)(const float *x, void *y, int n) {
    ck_block_q8_0 *out = y;
    for (int b = 0; b < n / 32; ++b) {
        float d;
        const __m256i q = ck_activation_block(x + 32 * b, &d);
        out[b].d = _cvtss_sh(d, 0);
        _mm256_storeu_si256((__m256i *)out[b].qs, q);
    }
}

void CK_NAME(ck_quantize_q8_1)(const float *x, void *y, int n) {
    ck_block_q8_1 *out = y;
    for (int b = 0; b < n / 32; ++b) {
        float d;
        const __m256i q = ck_activation_block(x + 32 * b, &d);
        // Σq of the stored (saturated) quants, in int32.
        const __m256i pairs = _mm256_madd_epi16(_mm256_maddubs_epi16(_mm256_set1_epi8(1), q), _mm256_set1_epi16(1));
        __m128i s4 = _mm_add_epi32(_mm256_extracti128_si256(pairs, 1), _mm256_castsi256_si128(pairs));
        s4 = _mm_add_epi32(s4, _mm_shuffle_epi32(s4, 0x4E));
        s4 = _mm_add_epi32(s4, _mm_shuffle_epi32(s4, 0xB1));
        out[b].d = _cvtss_sh(d, 0);
        out[b].s = _cvtss_sh(d * (float)_mm_cvtsi128_si32(s4), 0);
        _mm256_storeu_si256((__m256i *)out[b].qs, q);
    }
}
