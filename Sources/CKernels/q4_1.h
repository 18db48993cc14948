// q4_1 · q8_1, reproducing `ggml_vec_dot_q4_1_q8_1` (ggml-cpu/arch/x86/quants.c, AVX2 path).
// Per block: the unsigned levels against the activation quants as eight int32 lanes, converted
// and fused into eight accumulators with d_w·d_a (exact: two halves); the minimums' shares m·s
// (exact too) summed apart in one float, added last to `hsum_float_8` of the accumulators.

CK_INLINE void ck_q4_1_body(int n, const char *first, size_t row_bytes, int R, const void *activations, float *out) {
    const int nb = n / 32;
    const ck_block_q8_1 *y = activations;
    const ck_block_q4_1 *x[2] = { (const ck_block_q4_1 *)first, (const ck_block_q4_1 *)(first + row_bytes) };
    __m256 acc[2] = { _mm256_setzero_ps(), _mm256_setzero_ps() };
    float minimums[2] = { 0, 0 };
    for (int b = 0; b < nb; ++b) {
        const __m256i qy = _mm256_loadu_si256((const __m256i *)y[b].qs);
        const float dy = ck_half(y[b].d), sy = ck_half(y[b].s);
        for (int r = 0; r < R; ++r) {
            minimums[r] += ck_half(x[r][b].m) * sy;
            const __m256 scale = _mm256_set1_ps(ck_half(x[r][b].d) * dy);
            const __m256i lanes = ck_dot4(_mm256_setzero_si256(), ck_nibbles(x[r][b].qs), qy);
            acc[r] = _mm256_fmadd_ps(scale, _mm256_cvtepi32_ps(lanes), acc[r]);
        }
    }
    for (int r = 0; r < R; ++r) out[r] = ck_hsum8(acc[r]) + minimums[r];
}

CK_ROWS_KERNEL(q4_1, ck_q4_1_body)
