// q4_1 · q8_1, reproducing `ggml_vec_dot_q4_1_q8_1` (ggml-cpu/arch/x86/quants.c, AVX2 path).
// Per block: the unsigned levels against the activation quants as eight int32 lanes, converted
// and fused into eight accumulators with d_w·d_a (exact: two halves); the minimums' shares m·s
// (exact too) summed apart in one float, added last to `hsum_float_8` of the accumulators.

CK_INLINE void ck_q4_1_body(int n, const char *const rows[CK_ROWS], int R, const void *activations, float *const outs[CK_ROWS]) {
    const int nb = n / 32;
    const ck_block_q8_1 *y = activations;
    const ck_block_q4_1 *x[CK_ROWS];
    __m256 acc[CK_ROWS];
    // Lane 1 holds the running sum of the minimums' shares (lane 0 collects unused products).
    __m128 minimums[CK_ROWS];
    for (int r = 0; r < R; ++r) {
        x[r] = (const ck_block_q4_1 *)rows[r];
        acc[r] = _mm256_setzero_ps();
        minimums[r] = _mm_setzero_ps();
    }
    for (int b = 0; b < nb; ++b) {
        const __m256i qy = _mm256_loadu_si256((const __m256i *)y[b].qs);
        // d and s sit side by side, as do a weight block's d and m: one conversion each.
        const __m128 ds = ck_two_halves(&y[b].d);
        for (int r = 0; r < R; ++r) {
            const __m128 products = _mm_mul_ps(ck_two_halves(&x[r][b].d), ds);  // d_w·d_a, m·s
            minimums[r] = _mm_add_ps(minimums[r], products);
            const __m256 scale = _mm256_broadcastss_ps(products);
            const __m256i lanes = ck_dot4(_mm256_setzero_si256(), ck_nibbles(x[r][b].qs), qy);
            acc[r] = _mm256_fmadd_ps(scale, _mm256_cvtepi32_ps(lanes), acc[r]);
        }
    }
    for (int r = 0; r < R; ++r) *outs[r] = ck_hsum8(acc[r]) + _mm_cvtss_f32(_mm_movehdup_ps(minimums[r]));
}

CK_ROWS_KERNEL(q4_1, ck_q4_1_body)
