// Prefill: many tokens against the same weight rows, on rows MatMul has already unpacked into
// Kernels' lane form for q4_0, q5_0 and q8_0 (ScaledBlocks.swift: per 32-value block 64 bytes,
// the 16 even values as int16 then the 16 odd ones; after the blocks one float scale per
// block), against q8_0 activation rows prepared in the same form (PreparedQ8_0); and for q4_1
// (DotQ4_1.swift: the same, plus a column of float minimums) against q8_1 rows (PreparedQ8_1,
// plus a column of float s), whose m·s shares DotQ4_1 sums apart and adds last.
//
// A register tile of two rows × four tokens: each weight block loaded once for four tokens,
// each activation block once for two rows, eight float accumulators. Every (row, token) pair
// keeps the float steps of ScaledBlocks.dot, and so of ggml's `vec_dot`: per block the eight
// exact int32 lanes (even products plus odd products, `vpmaddwd` twice) as floats, fused with
// d_w·d_a into the pair's accumulator; `hsum_float_8` at the end.

/// `R` rows (each `weight_bytes` after the previous) × `T` tokens (each `activation_bytes`
/// apart), `blocks` blocks each; out[t * out_stride + r]. The T tokens' activation scales of
/// block b are at `scales[4 * b + t]`, and (`minimums`: q4_1 · q8_1) their s at `sums[4 * b + t]`.
CK_INLINE void ck_scaled_lanes_tile(const int minimums, const int R, const int T, int blocks, const char *w, size_t weight_bytes,
                                    const char *a, size_t activation_bytes, const float *scales, const float *sums,
                                    float *out, size_t out_stride) {
    __m256 acc[2][4];
    // Lane t of row r: the running m·s sum for token t, one product and one addition per
    // block as DotQ4_1 takes them, four tokens per instruction.
    __m128 mins[2] = {_mm_setzero_ps(), _mm_setzero_ps()};
    const float *weight_scales[2];
    for (int r = 0; r < R; ++r) weight_scales[r] = (const float *)(w + r * weight_bytes + (size_t)blocks * 64);
    // Per block, row r's products d_w·d_a for the four tokens: one multiplication per row, then
    // each pair's broadcast is a load rather than a scalar product and a shuffle.
    float products[2][4] __attribute__((aligned(16)));
    for (int r = 0; r < R; ++r)
        for (int t = 0; t < T; ++t) acc[r][t] = _mm256_setzero_ps();
    for (int b = 0; b < blocks; ++b) {
        __m256i even[2], odd[2];
        if (minimums) {
            const __m128 s = _mm_loadu_ps(sums + 4 * b);
            for (int r = 0; r < R; ++r) mins[r] = _mm_add_ps(mins[r], _mm_mul_ps(_mm_set1_ps(weight_scales[r][blocks + b]), s));
        }
        const __m128 d_a = _mm_loadu_ps(scales + 4 * b);
        for (int r = 0; r < R; ++r) {
            _mm_store_ps(products[r], _mm_mul_ps(_mm_set1_ps(weight_scales[r][b]), d_a));
            even[r] = _mm256_loadu_si256((const __m256i *)(w + r * weight_bytes + 64 * b));
            odd[r] = _mm256_loadu_si256((const __m256i *)(w + r * weight_bytes + 64 * b + 32));
        }
        for (int t = 0; t < T; ++t) {
            const char *block = a + t * activation_bytes + 64 * b;
            const __m256i x_even = _mm256_loadu_si256((const __m256i *)block);
            const __m256i x_odd = _mm256_loadu_si256((const __m256i *)(block + 32));
            for (int r = 0; r < R; ++r) {
                const __m256i lanes = _mm256_add_epi32(_mm256_madd_epi16(even[r], x_even), _mm256_madd_epi16(odd[r], x_odd));
                acc[r][t] = _mm256_fmadd_ps(_mm256_broadcast_ss(&products[r][t]), _mm256_cvtepi32_ps(lanes), acc[r][t]);
            }
        }
    }
    for (int r = 0; r < R; ++r)
        for (int t = 0; t < T; ++t) {
            float m[4];
            _mm_storeu_ps(m, mins[r]);
            out[t * out_stride + r] = minimums ? ck_hsum8(acc[r][t]) + m[t] : ck_hsum8(acc[r][t]);
        }
}

#define CK_SCALED_TILES(NAME, MINIMUMS)                                                                                 \
    void CK_NAME(NAME)(int n, const void *weights, size_t weight_bytes, int rows, const void *activations,            \
                       size_t activation_bytes, int tokens, float *out, size_t out_stride) {                          \
        const int blocks = n / 32;                                                                                      \
        const char *w = weights, *a = activations;                                                                      \
        /* The scale column (and q8_1's s column) of four tokens per block side by side; a token  \
           past the group reads 0. */                                                                                   \
        float scales[4 * blocks + 4]; /* + 4: never zero-length */                                                      \
        float sums[MINIMUMS ? 4 * blocks + 4 : 1];                                                                      \
        for (int t = 0; t < tokens; t += 4) {                                                                           \
            const int T = tokens - t < 4 ? 1 : 4;                                                                       \
            const int group = tokens - t < 4 ? tokens - t : 4;                                                          \
            for (int u = 0; u < group; u += T) {                                                                        \
                const char *at = a + (t + u) * activation_bytes;                                                        \
                float *ot = out + (t + u) * out_stride;                                                                 \
                for (int b = 0; b < blocks; ++b)                                                                        \
                    for (int k = 0; k < 4; ++k) {                                                                       \
                        const float *column = (const float *)(at + k * activation_bytes + (size_t)blocks * 64);         \
                        scales[4 * b + k] = k < T ? column[b] : 0;                                                      \
                        if (MINIMUMS) sums[4 * b + k] = k < T ? column[blocks + b] : 0;                                 \
                    }                                                                                                   \
                int r = 0;                                                                                              \
                for (; r + 2 <= rows; r += 2) {                                                                         \
                    if (T == 4) ck_scaled_lanes_tile(MINIMUMS, 2, 4, blocks, w + r * weight_bytes, weight_bytes, at,  \
                                                     activation_bytes, scales, sums, ot + r, out_stride);              \
                    else ck_scaled_lanes_tile(MINIMUMS, 2, 1, blocks, w + r * weight_bytes, weight_bytes, at,          \
                                              activation_bytes, scales, sums, ot + r, out_stride);                     \
                }                                                                                                       \
                if (r < rows) {                                                                                         \
                    if (T == 4) ck_scaled_lanes_tile(MINIMUMS, 1, 4, blocks, w + r * weight_bytes, weight_bytes, at,  \
                                                     activation_bytes, scales, sums, ot + r, out_stride);              \
                    else ck_scaled_lanes_tile(MINIMUMS, 1, 1, blocks, w + r * weight_bytes, weight_bytes, at,          \
                                              activation_bytes, scales, sums, ot + r, out_stride);                     \
                }                                                                                                       \
            }                                                                                                           \
        }                                                                                                               \
    }

CK_SCALED_TILES(ck_scaled_lanes_tiles, 0)
CK_SCALED_TILES(ck_q4_1_lanes_tiles, 1)

#undef CK_SCALED_TILES

// q4_K and q6_K, on rows in Kernels' K-quant lane forms (KQuantRows.swift, DotQ6_K.swift: per
// 256-value block 512 bytes of lane form, levels already multiplied by their sub-block scale)
// against q8_K rows prepared by PreparedQ8_K. Per block and pair the eight sub-blocks' int32
// lanes are summed in registers (a tile of two rows × four tokens), then the block's float steps
// of DotQ4_K.dot / DotQ6_K.dot follow into accumulators kept in memory (one update per 256 values).

/// Byte offsets of the columns after the lane form, in rows of `blocks` blocks.
#define CK_Q8K_SCALES(blocks) ((size_t)(blocks) * 512)
#define CK_Q8K_BSUMS(blocks) ((size_t)(blocks) * 516)
#define CK_Q8K_SUBSUMS(blocks) ((size_t)(blocks) * 548)

/// `six`: q6_K (else q4_K). Shapes and outputs as `ck_scaled_lanes_tile`.
CK_INLINE void ck_kquant_lanes_tile(const int six, const int R, const int T, int blocks, const char *w, size_t weight_bytes,
                                    const char *a, size_t activation_bytes, float *out, size_t out_stride) {
    __m256 acc[2][4];
    __m128 min_acc[2][4];
    for (int r = 0; r < R; ++r)
        for (int t = 0; t < T; ++t) {
            acc[r][t] = _mm256_setzero_ps();
            min_acc[r][t] = _mm_setzero_ps();
        }
    for (int b = 0; b < blocks; ++b) {
        __m256i sums[2][4];
        for (int r = 0; r < R; ++r)
            for (int t = 0; t < T; ++t) sums[r][t] = _mm256_setzero_si256();
        for (int s = 0; s < 8; ++s) {
            __m256i even[2], odd[2];
            for (int r = 0; r < R; ++r) {
                const char *run = w + r * weight_bytes + 512 * b + 64 * s;
                even[r] = _mm256_loadu_si256((const __m256i *)run);
                odd[r] = _mm256_loadu_si256((const __m256i *)(run + 32));
            }
            for (int t = 0; t < T; ++t) {
                const char *run = a + t * activation_bytes + 512 * b + 64 * s;
                const __m256i x_even = _mm256_loadu_si256((const __m256i *)run);
                const __m256i x_odd = _mm256_loadu_si256((const __m256i *)(run + 32));
                for (int r = 0; r < R; ++r)
                    sums[r][t] = _mm256_add_epi32(sums[r][t], _mm256_add_epi32(_mm256_madd_epi16(even[r], x_even),
                                                                               _mm256_madd_epi16(odd[r], x_odd)));
            }
        }
        for (int t = 0; t < T; ++t) {
            const char *x = a + t * activation_bytes;
            const float d_x = ((const float *)(x + CK_Q8K_SCALES(blocks)))[b];
            for (int r = 0; r < R; ++r) {
                const char *row = w + r * weight_bytes;
                const float *d = (const float *)(row + (size_t)blocks * 512);
                if (six) {
                    // The levels' offset of 32: scale·Σ₁₆ per pair of sub-blocks, times 32.
                    const __m256i offset = _mm256_madd_epi16(_mm256_loadu_si256((const __m256i *)(row + (size_t)blocks * 516 + 32 * b)),
                                                             _mm256_loadu_si256((const __m256i *)(x + CK_Q8K_BSUMS(blocks) + 32 * b)));
                    const __m256i lanes = _mm256_sub_epi32(sums[r][t], _mm256_slli_epi32(offset, 5));
                    acc[r][t] = _mm256_fmadd_ps(_mm256_set1_ps(d_x * d[b]), _mm256_cvtepi32_ps(lanes), acc[r][t]);
                } else {
                    const __m128i mins = _mm_madd_epi16(_mm_loadu_si128((const __m128i *)(row + (size_t)blocks * 520 + 16 * b)),
                                                        _mm_loadu_si128((const __m128i *)(x + CK_Q8K_SUBSUMS(blocks) + 16 * b)));
                    min_acc[r][t] = _mm_fmadd_ps(_mm_set1_ps(-d_x * d[blocks + b]), _mm_cvtepi32_ps(mins), min_acc[r][t]);
                    acc[r][t] = _mm256_fmadd_ps(_mm256_set1_ps(d_x * d[b]), _mm256_cvtepi32_ps(sums[r][t]), acc[r][t]);
                }
            }
        }
    }
    for (int r = 0; r < R; ++r)
        for (int t = 0; t < T; ++t) {
            float result = ck_hsum8(acc[r][t]);
            if (!six) {
                const __m128 m = min_acc[r][t];
                const __m128 pairs = _mm_add_ps(m, _mm_movehl_ps(m, m));
                result += _mm_cvtss_f32(_mm_add_ss(pairs, _mm_movehdup_ps(pairs)));
            }
            out[t * out_stride + r] = result;
        }
}

#define CK_KQUANT_TILES(NAME, SIX)                                                                                      \
    void CK_NAME(NAME)(int n, const void *weights, size_t weight_bytes, int rows, const void *activations,            \
                       size_t activation_bytes, int tokens, float *out, size_t out_stride) {                          \
        const int blocks = n / 256;                                                                                     \
        const char *w = weights, *a = activations;                                                                      \
        for (int t = 0; t < tokens;) {                                                                                  \
            /* Four tokens at a time, then the last few one by one. */                                                  \
            const int T = tokens - t >= 4 ? 4 : 1;                                                                      \
            const char *at = a + t * activation_bytes;                                                                  \
            float *ot = out + t * out_stride;                                                                           \
            for (int r = 0; r < rows; r += 2) {                                                                         \
                const int R = rows - r >= 2 ? 2 : 1;                                                                    \
                const char *wr = w + r * weight_bytes;                                                                  \
                if (R == 2 && T == 4) ck_kquant_lanes_tile(SIX, 2, 4, blocks, wr, weight_bytes, at, activation_bytes, ot + r, out_stride); \
                else if (R == 2) ck_kquant_lanes_tile(SIX, 2, 1, blocks, wr, weight_bytes, at, activation_bytes, ot + r, out_stride); \
                else if (T == 4) ck_kquant_lanes_tile(SIX, 1, 4, blocks, wr, weight_bytes, at, activation_bytes, ot + r, out_stride); \
                else ck_kquant_lanes_tile(SIX, 1, 1, blocks, wr, weight_bytes, at, activation_bytes, ot + r, out_stride); \
            }                                                                                                           \
            t += T;                                                                                                     \
        }                                                                                                               \
    }

CK_KQUANT_TILES(ck_q4_K_lanes_tiles, 0)
CK_KQUANT_TILES(ck_q6_K_lanes_tiles, 1)

#undef CK_KQUANT_TILES
