// Several tokens against the same weight rows (continuous batching: one token of each of a few
// sequences). Each weight block is unpacked once and met by every token's activation block,
// while each (row, token) result follows exactly the float steps of the one-token kernel for
// that pair, so it is bit for bit ggml's `vec_dot` still. Only q4_1 · q8_1 and q8_0 · q8_0 so
// far (SmolLM2's weights and output head); other types run the one-token kernel per token.
//
// One row at a time against a group of up to eight tokens: eight float accumulators, the
// row's block and the temporaries fit AVX2's sixteen vector registers (two rows at once spill).
// A token's scale d_w·d_a is the same single product the one-token kernel takes, formed for
// the whole group in one multiplication; the activations' f16 scales are widened once per call
// into `ck_token_scales`.

/// Tokens one pass over a row takes.
#define CK_TOKENS 8
/// Blocks per row the scale table holds (rows up to 16384 values); longer rows go token by token.
#define CK_TOKEN_BLOCKS 512

/// Per block, the group's activation scales as floats: d in `d[b]`, and q8_1's s in `s[b]`.
typedef struct {
    float d[CK_TOKEN_BLOCKS][CK_TOKENS] __attribute__((aligned(32)));
    float s[CK_TOKEN_BLOCKS][CK_TOKENS] __attribute__((aligned(32)));
} ck_token_scales;

/// d_w·d_a for each token of the group (the one-token kernel's product), in one multiplication.
/// (Forcing the per-token broadcasts to come from memory rather than shuffles measured slower.)
CK_INLINE void ck_store_products(float products[CK_TOKENS], __m256 dw, const float d[CK_TOKENS]) {
    _mm256_store_ps(products, _mm256_mul_ps(dw, _mm256_load_ps(d)));
}

CK_INLINE void ck_q4_1_tokens_body(int nb, const char *row, const void *const acts[CK_TOKENS], const int T,
                                   const ck_token_scales *scales, float *const outs[CK_TOKENS]) {
    const ck_block_q4_1 *x = (const ck_block_q4_1 *)row;
    const ck_block_q8_1 *y[CK_TOKENS];
    for (int t = 0; t < T; ++t) y[t] = acts[t];
    __m256 acc[CK_TOKENS];
    for (int t = 0; t < T; ++t) acc[t] = _mm256_setzero_ps();
    float products[CK_TOKENS] __attribute__((aligned(32)));
    // Lane t: the running sum of the minimums' shares m·s for token t.
    __m256 minimums = _mm256_setzero_ps();
    for (int b = 0; b < nb; ++b) {
        const __m128 dm = ck_two_halves(&x[b].d);
        const __m256 dw = _mm256_broadcastss_ps(dm);
        minimums = _mm256_add_ps(minimums, _mm256_mul_ps(_mm256_broadcastss_ps(_mm_movehdup_ps(dm)), _mm256_load_ps(scales->s[b])));
        const __m256i levels = ck_nibbles(x[b].qs);
        ck_store_products(products, dw, scales->d[b]);
        for (int t = 0; t < T; ++t) {
            const __m256i lanes = ck_dot4(_mm256_setzero_si256(), levels, _mm256_loadu_si256((const __m256i *)y[t][b].qs));
            acc[t] = _mm256_fmadd_ps(_mm256_broadcast_ss(&products[t]), _mm256_cvtepi32_ps(lanes), acc[t]);
        }
    }
    float shares[CK_TOKENS] __attribute__((aligned(32)));
    _mm256_store_ps(shares, minimums);
    for (int t = 0; t < T; ++t) *outs[t] = ck_hsum8(acc[t]) + shares[t];
}

CK_INLINE void ck_q8_0_tokens_body(int nb, const char *row, const void *const acts[CK_TOKENS], const int T,
                                   const ck_token_scales *scales, float *const outs[CK_TOKENS]) {
    const ck_block_q8_0 *x = (const ck_block_q8_0 *)row;
    const ck_block_q8_0 *y[CK_TOKENS];
    for (int t = 0; t < T; ++t) y[t] = acts[t];
    __m256 acc[CK_TOKENS];
    for (int t = 0; t < T; ++t) acc[t] = _mm256_setzero_ps();
    float products[CK_TOKENS] __attribute__((aligned(32)));
    for (int b = 0; b < nb; ++b) {
        const __m256 dw = _mm256_set1_ps(ck_half(x[b].d));
        // Both sides signed: |w| against the quant carrying w's sign, as ggml does.
        const __m256i w = _mm256_loadu_si256((const __m256i *)x[b].qs);
        const __m256i magnitudes = _mm256_sign_epi8(w, w);
        ck_store_products(products, dw, scales->d[b]);
        for (int t = 0; t < T; ++t) {
            const __m256i qy = _mm256_loadu_si256((const __m256i *)y[t][b].qs);
            const __m256i lanes = ck_dot4(_mm256_setzero_si256(), magnitudes, _mm256_sign_epi8(qy, w));
            acc[t] = _mm256_fmadd_ps(_mm256_broadcast_ss(&products[t]), _mm256_cvtepi32_ps(lanes), acc[t]);
        }
    }
    for (int t = 0; t < T; ++t) *outs[t] = ck_hsum8(acc[t]);
}

#define CK_TOKENS_CALL(BODY, T) BODY(nb, base + (size_t)r * row_bytes, acts, T, &scales, outs)

/// Defines the exported tokens kernel for TYPE over BODY, whose activation blocks are ACT with
/// an f16 d first (and, when HAS_S, an f16 s second). Tokens go in groups of CK_TOKENS, each
/// group over every row; the body is instantiated for each group size so its loops unroll.
#define CK_TOKENS_KERNEL(TYPE, BODY, ACT, HAS_S)                                                              \
    void CK_NAME(ck_##TYPE##_tokens)(int n, const void *weights, size_t row_bytes, int rows,                  \
                                     const void *activations, size_t activation_bytes, int tokens,           \
                                     float *out, size_t out_stride) {                                          \
        const int nb = n / 32;                                                                                 \
        const char *base = (const char *)weights;                                                              \
        const char *act = (const char *)activations;                                                           \
        if (nb > CK_TOKEN_BLOCKS) {                                                                            \
            for (int t = 0; t < tokens; ++t)                                                                   \
                CK_NAME(ck_##TYPE##_rows)(n, weights, row_bytes, rows, act + (size_t)t * activation_bytes,     \
                                          out + (size_t)t * out_stride);                                       \
            return;                                                                                            \
        }                                                                                                      \
        ck_token_scales scales;                                                                                \
        for (int t0 = 0; t0 < tokens; t0 += CK_TOKENS) {                                                       \
            const int T = tokens - t0 < CK_TOKENS ? tokens - t0 : CK_TOKENS;                                   \
            const void *acts[CK_TOKENS];                                                                       \
            for (int t = 0; t < T; ++t) acts[t] = act + (size_t)(t0 + t) * activation_bytes;                   \
            for (int b = 0; b < nb; ++b)                                                                       \
                for (int t = 0; t < CK_TOKENS; ++t) {                                                          \
                    const ACT *block = (const ACT *)acts[t < T ? t : 0] + b;                                   \
                    scales.d[b][t] = ck_half(ck_half_bits(&block->d));                                         \
                    scales.s[b][t] = HAS_S ? ck_half(ck_half_bits((const char *)&block->d + 2)) : 0;           \
                }                                                                                              \
            for (int r = 0; r < rows; ++r) {                                                                   \
                float *outs[CK_TOKENS];                                                                        \
                for (int t = 0; t < CK_TOKENS; ++t) outs[t] = out + (size_t)(t0 + (t < T ? t : 0)) * out_stride + r; \
                switch (T) {                                                                                   \
                case 8: CK_TOKENS_CALL(BODY, 8); break;                                                        \
                case 7: CK_TOKENS_CALL(BODY, 7); break;                                                        \
                case 6: CK_TOKENS_CALL(BODY, 6); break;                                                        \
                case 5: CK_TOKENS_CALL(BODY, 5); break;                                                        \
                case 4: CK_TOKENS_CALL(BODY, 4); break;                                                        \
                case 3: CK_TOKENS_CALL(BODY, 3); break;                                                        \
                case 2: CK_TOKENS_CALL(BODY, 2); break;                                                        \
                default: CK_TOKENS_CALL(BODY, 1); break;                                                       \
                }                                                                                              \
            }                                                                                                  \
        }                                                                                                      \
    }

CK_TOKENS_KERNEL(q4_1, ck_q4_1_tokens_body, ck_block_q8_1, 1)
CK_TOKENS_KERNEL(q8_0, ck_q8_0_tokens_body, ck_block_q8_0, 0)
