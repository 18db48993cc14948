// Several tokens against the same weight rows (continuous batching: one token of each of a few
// sequences). Each weight block is unpacked once and met by every token's activation block,
// while each (row, token) result follows exactly the float steps of the one-token kernel for
// that pair, so it is bit for bit ggml's `vec_dot` still. q4_0, q4_1, q5_0 and q8_0 so far;
// other types run the one-token kernel per token.
//
// One row (or, for some types and small groups, two) at a time against a group of up to
// eight tokens: eight float accumulators, the row's block and the temporaries fit AVX2's
// sixteen vector registers.
// A token's scale d_w·d_a is the same single product the one-token kernel takes; the
// activations' f16 scales (and the offset types' lane starts) are prepared once per call in
// `ck_token_scales`.

/// Tokens one pass over a row takes.
#define CK_TOKENS 8
/// Blocks per row the scale table holds (rows up to 16384 values); longer rows go token by token.
#define CK_TOKEN_BLOCKS 512

/// Per block, the group's activation scales as floats: d in `d[b]`, and q8_1's s in `s[b]`;
/// for the offset levels of q4_0 and q5_0 (scaled.h), each token's lanes' start
/// −offset·Σquant at `start[b * CK_TOKENS + t]` (a table of the row's blocks only, which the
/// kernel allocates for those types alone).
typedef struct {
    float d[CK_TOKEN_BLOCKS][CK_TOKENS] __attribute__((aligned(32)));
    float s[CK_TOKEN_BLOCKS][CK_TOKENS] __attribute__((aligned(32)));
    __m256i *start;
} ck_token_scales;

/// d_w·d_a for token t of the group (the one-token kernel's product) in every lane: d_a
/// broadcast from the table and multiplied per token. (Forming all tokens' products in one
/// multiplication and reading each back broadcast measured 1 % slower at four tokens, 6 %
/// at eight: the reads wait on the store.)
CK_INLINE __m256 ck_token_scale(__m256 dw, const float d[CK_TOKENS], int t) {
    return _mm256_mul_ps(dw, _mm256_broadcast_ss(&d[t]));
}

// q4_1 and q8_0 take their rows one after the other (their kernels never pair rows).
CK_INLINE void ck_q4_1_tokens_row(int nb, const char *row, const void *const acts[CK_TOKENS], const int T,
                                  const ck_token_scales *scales, float *const outs[CK_TOKENS]) {
    const ck_block_q4_1 *x = (const ck_block_q4_1 *)row;
    const ck_block_q8_1 *y[CK_TOKENS];
    for (int t = 0; t < T; ++t) y[t] = acts[t];
    __m256 acc[CK_TOKENS];
    for (int t = 0; t < T; ++t) acc[t] = _mm256_setzero_ps();
    // Lane t: the running sum of the minimums' shares m·s for token t.
    __m256 minimums = _mm256_setzero_ps();
    for (int b = 0; b < nb; ++b) {
        const __m128 dm = ck_two_halves(&x[b].d);
        const __m256 dw = _mm256_broadcastss_ps(dm);
        minimums = _mm256_add_ps(minimums, _mm256_mul_ps(_mm256_broadcastss_ps(_mm_movehdup_ps(dm)), _mm256_load_ps(scales->s[b])));
        const __m256i levels = ck_nibbles(x[b].qs);
        for (int t = 0; t < T; ++t) {
            const __m256i lanes = ck_dot4(_mm256_setzero_si256(), levels, _mm256_loadu_si256((const __m256i *)y[t][b].qs));
            acc[t] = _mm256_fmadd_ps(ck_token_scale(dw, scales->d[b], t), _mm256_cvtepi32_ps(lanes), acc[t]);
        }
    }
    float shares[CK_TOKENS] __attribute__((aligned(32)));
    _mm256_store_ps(shares, minimums);
    for (int t = 0; t < T; ++t) *outs[t] = ck_hsum8(acc[t]) + shares[t];
}

CK_INLINE void ck_q4_1_tokens_body(int nb, const char *const rows[2], const int R, const void *const acts[CK_TOKENS], const int T,
                                   const ck_token_scales *scales, float *const outs[2][CK_TOKENS]) {
    for (int r = 0; r < R; ++r) ck_q4_1_tokens_row(nb, rows[r], acts, T, scales, outs[r]);
}

CK_INLINE void ck_q8_0_tokens_row(int nb, const char *row, const void *const acts[CK_TOKENS], const int T,
                                  const ck_token_scales *scales, float *const outs[CK_TOKENS]) {
    const ck_block_q8_0 *x = (const ck_block_q8_0 *)row;
    const ck_block_q8_0 *y[CK_TOKENS];
    for (int t = 0; t < T; ++t) y[t] = acts[t];
    __m256 acc[CK_TOKENS];
    for (int t = 0; t < T; ++t) acc[t] = _mm256_setzero_ps();
    for (int b = 0; b < nb; ++b) {
        const __m256 dw = _mm256_set1_ps(ck_half(x[b].d));
        // Both sides signed: |w| against the quant carrying w's sign, as ggml does.
        const __m256i w = _mm256_loadu_si256((const __m256i *)x[b].qs);
        const __m256i magnitudes = _mm256_sign_epi8(w, w);
        for (int t = 0; t < T; ++t) {
            const __m256i qy = _mm256_loadu_si256((const __m256i *)y[t][b].qs);
            const __m256i lanes = ck_dot4(_mm256_setzero_si256(), magnitudes, _mm256_sign_epi8(qy, w));
            acc[t] = _mm256_fmadd_ps(ck_token_scale(dw, scales->d[b], t), _mm256_cvtepi32_ps(lanes), acc[t]);
        }
    }
    for (int t = 0; t < T; ++t) *outs[t] = ck_hsum8(acc[t]);
}

CK_INLINE void ck_q8_0_tokens_body(int nb, const char *const rows[2], const int R, const void *const acts[CK_TOKENS], const int T,
                                   const ck_token_scales *scales, float *const outs[2][CK_TOKENS]) {
    for (int r = 0; r < R; ++r) ck_q8_0_tokens_row(nb, rows[r], acts, T, scales, outs[r]);
}

/// q4_0 · q8_0 and q5_0 · q8_0: each block's unsigned levels unpacked once for all tokens,
/// each token's lanes starting from its own start; d_w·d_a formed per token as the one-token
/// kernel's product of the same two floats.
CK_INLINE void ck_offset_tokens_body(int kind, int nb, const char *const rows[2], const int R, const void *const acts[CK_TOKENS],
                                     const int T, const ck_token_scales *scales, float *const outs[2][CK_TOKENS]) {
    const ck_block_q8_0 *y[CK_TOKENS];
    for (int t = 0; t < T; ++t) y[t] = acts[t];
    __m256 acc[2][CK_TOKENS];
    for (int r = 0; r < R; ++r)
        for (int t = 0; t < T; ++t) acc[r][t] = _mm256_setzero_ps();
    for (int b = 0; b < nb; ++b) {
        __m256 dw[2];
        __m256i levels[2];
        for (int r = 0; r < R; ++r) {
            const char *block = ck_scaled_block(kind, rows[r], b);
            dw[r] = _mm256_set1_ps(ck_half(ck_half_bits(block)));
            if (kind == CK_LEVELS_Q4_0) {
                levels[r] = ck_nibbles(((const ck_block_q4_0 *)block)->qs);
            } else {
                const ck_block_q5_0 *x = (const ck_block_q5_0 *)block;
                levels[r] = _mm256_or_si256(ck_nibbles(x->qs), ck_bit_bytes(ck_word(x->qh), _mm256_set1_epi8(0x10)));
            }
        }
        for (int t = 0; t < T; ++t) {
            const __m256i qy = _mm256_loadu_si256((const __m256i *)y[t][b].qs);
            for (int r = 0; r < R; ++r) {
                const __m256i lanes = ck_dot4(scales->start[b * CK_TOKENS + t], levels[r], qy);
                acc[r][t] = _mm256_fmadd_ps(ck_token_scale(dw[r], scales->d[b], t), _mm256_cvtepi32_ps(lanes), acc[r][t]);
            }
        }
    }
    for (int r = 0; r < R; ++r)
        for (int t = 0; t < T; ++t) *outs[r][t] = ck_hsum8(acc[r][t]);
}

CK_INLINE void ck_q4_0_tokens_body(int nb, const char *const rows[2], const int R, const void *const acts[CK_TOKENS], const int T,
                                   const ck_token_scales *scales, float *const outs[2][CK_TOKENS]) {
    ck_offset_tokens_body(CK_LEVELS_Q4_0, nb, rows, R, acts, T, scales, outs);
}

CK_INLINE void ck_q5_0_tokens_body(int nb, const char *const rows[2], const int R, const void *const acts[CK_TOKENS], const int T,
                                   const ck_token_scales *scales, float *const outs[2][CK_TOKENS]) {
    ck_offset_tokens_body(CK_LEVELS_Q5_0, nb, rows, R, acts, T, scales, outs);
}

#define CK_TOKENS_CALL(BODY, R, T) BODY(nb, pair, R, acts, T, &scales, outs)

/// Defines the exported tokens kernel for TYPE over BODY, whose activation blocks are ACT with
/// an f16 d first (and, when HAS_S, an f16 s second); OFFSET, when not 0, is the level offset
/// whose starts the body reads. Tokens go in groups of CK_TOKENS, each group over every row,
/// two rows at a time while a group has at most PAIRED tokens (0: always one row); the body
/// is instantiated for each shape so its loops unroll.
#define CK_TOKENS_KERNEL(TYPE, BODY, ACT, HAS_S, OFFSET, PAIRED)                                              \
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
        _Static_assert((PAIRED) <= 4, "the shapes below pair rows for at most four tokens");                  \
        ck_token_scales scales;                                                                                \
        __m256i starts[(OFFSET) ? nb * CK_TOKENS : 1];                                                         \
        scales.start = starts;                                                                                 \
        for (int t0 = 0; t0 < tokens; t0 += CK_TOKENS) {                                                       \
            const int T = tokens - t0 < CK_TOKENS ? tokens - t0 : CK_TOKENS;                                   \
            const void *acts[CK_TOKENS];                                                                       \
            for (int t = 0; t < T; ++t) acts[t] = act + (size_t)(t0 + t) * activation_bytes;                   \
            for (int b = 0; b < nb; ++b)                                                                       \
                for (int t = 0; t < CK_TOKENS; ++t) {                                                          \
                    const ACT *block = (const ACT *)acts[t < T ? t : 0] + b;                                   \
                    scales.d[b][t] = ck_half(ck_half_bits(&block->d));                                         \
                    scales.s[b][t] = HAS_S ? ck_half(ck_half_bits((const char *)&block->d + 2)) : 0;           \
                    if ((OFFSET) && t < T) {                                                                   \
                        const __m256i qy = _mm256_loadu_si256((const __m256i *)block->qs);                    \
                        starts[b * CK_TOKENS + t] = _mm256_sub_epi32(_mm256_setzero_si256(),                   \
                            ck_dot4(_mm256_setzero_si256(), _mm256_set1_epi8((char)(OFFSET)), qy));            \
                    }                                                                                          \
                }                                                                                              \
            for (int r = 0; r < rows;) {                                                                       \
                const int R = T <= (PAIRED) && r + 1 < rows ? 2 : 1;                                           \
                const char *pair[2] = { base + (size_t)r * row_bytes, base + (size_t)(r + R - 1) * row_bytes };  \
                float *outs[2][CK_TOKENS];                                                                     \
                for (int i = 0; i < 2; ++i)                                                                    \
                    for (int t = 0; t < CK_TOKENS; ++t)                                                        \
                        outs[i][t] = out + (size_t)(t0 + (t < T ? t : 0)) * out_stride + r + (i < R ? i : 0);  \
                switch (R * 16 + T) {                                                                          \
                case 0x24: CK_TOKENS_CALL(BODY, 2, 4); break;                                                  \
                case 0x23: CK_TOKENS_CALL(BODY, 2, 3); break;                                                  \
                case 0x22: CK_TOKENS_CALL(BODY, 2, 2); break;                                                  \
                case 0x21: CK_TOKENS_CALL(BODY, 2, 1); break;                                                  \
                case 0x18: CK_TOKENS_CALL(BODY, 1, 8); break;                                                  \
                case 0x17: CK_TOKENS_CALL(BODY, 1, 7); break;                                                  \
                case 0x16: CK_TOKENS_CALL(BODY, 1, 6); break;                                                  \
                case 0x15: CK_TOKENS_CALL(BODY, 1, 5); break;                                                  \
                case 0x14: CK_TOKENS_CALL(BODY, 1, 4); break;                                                  \
                case 0x13: CK_TOKENS_CALL(BODY, 1, 3); break;                                                  \
                case 0x12: CK_TOKENS_CALL(BODY, 1, 2); break;                                                  \
                default: CK_TOKENS_CALL(BODY, 1, 1); break;                                                    \
                }                                                                                              \
                r += R;                                                                                        \
            }                                                                                                  \
        }                                                                                                      \
    }

// Two rows at a time only pays for the offset types, whose block unpacking is long: with one
// row their four-token groups ran 25-30 % slower per result, bound by each block's latency.
// q4_1 and q8_0 measured 2-10 % slower paired (their accumulators then spill).
CK_TOKENS_KERNEL(q4_0, ck_q4_0_tokens_body, ck_block_q8_0, 0, 8, 4)
CK_TOKENS_KERNEL(q4_1, ck_q4_1_tokens_body, ck_block_q8_1, 1, 0, 0)
CK_TOKENS_KERNEL(q5_0, ck_q5_0_tokens_body, ck_block_q8_0, 0, 16, 4)
CK_TOKENS_KERNEL(q8_0, ck_q8_0_tokens_body, ck_block_q8_0, 0, 0, 0)
