// q4_0 · q8_0, q5_0 · q8_0 and q8_0 · q8_0, reproducing `ggml_vec_dot_q4_0_q8_0`,
// `ggml_vec_dot_q5_0_q8_0` and `ggml_vec_dot_q8_0_q8_0` (ggml-cpu/arch/x86/quants.c, AVX2
// paths). The three differ only in how a block's levels become eight int32 lanes; then each
// block's lanes are converted and fused into eight accumulators with d_w·d_a (exact: a product
// of two halves), and `hsum_float_8` ends the row.
//
// ggml's q4_0 and q5_0 lanes sum (level − offset)·quant. Here the unsigned levels go through
// the unsigned × signed product and the lanes start from −offset·Σquant instead, computed once
// per block for all rows: the same integers.

enum { CK_LEVELS_Q4_0, CK_LEVELS_Q5_0, CK_LEVELS_Q8_0 };

/// Block `b` of a row of `kind`, at `row`.
CK_INLINE const char *ck_scaled_block(int kind, const char *row, int b) {
    switch (kind) {
    case CK_LEVELS_Q4_0: return row + (size_t)b * sizeof(ck_block_q4_0);
    case CK_LEVELS_Q5_0: return row + (size_t)b * sizeof(ck_block_q5_0);
    default: return row + (size_t)b * sizeof(ck_block_q8_0);
    }
}

/// The eight lanes of one weight block against the activation quants `qy`; `start` holds
/// −offset·Σquant for the offset levels.
CK_INLINE __m256i ck_scaled_lanes(int kind, const char *block, __m256i qy, __m256i start) {
    switch (kind) {
    case CK_LEVELS_Q4_0:
        return ck_dot4(start, ck_nibbles(((const ck_block_q4_0 *)block)->qs), qy);
    case CK_LEVELS_Q5_0: {
        const ck_block_q5_0 *x = (const ck_block_q5_0 *)block;
        const __m256i levels = _mm256_or_si256(ck_nibbles(x->qs), ck_bit_bytes(ck_word(x->qh), _mm256_set1_epi8(0x10)));
        return ck_dot4(start, levels, qy);
    }
    default: {
        // Both sides signed: |w| against the quant carrying w's sign, as ggml does (exact
        // while the activation quant is not −128, which q8_0's rounding never produces).
        const __m256i w = _mm256_loadu_si256((const __m256i *)((const ck_block_q8_0 *)block)->qs);
        return ck_dot4(start, _mm256_sign_epi8(w, w), _mm256_sign_epi8(qy, w));
    }
    }
}

/// What a call prepares once from the activations for all its rows: each block's d_a as a
/// float and, for the offset levels, its lanes' start −offset·Σquant. (Formed per block for
/// every group of four rows instead, they cost q5_0 3-5 % in a cache-resident run.)
typedef struct {
    const ck_block_q8_0 *y;
    const float *d;
    const __m256i *start;
} ck_scaled_activations;

CK_INLINE void ck_scaled_body(int kind, int n, const char *const rows[CK_ROWS], int R, const ck_scaled_activations *a, float *const outs[CK_ROWS]) {
    const int nb = n / 32;
    const int offset = kind != CK_LEVELS_Q8_0;
    __m256 acc[CK_ROWS];
    for (int r = 0; r < R; ++r) acc[r] = _mm256_setzero_ps();
    for (int b = 0; b < nb; ++b) {
        const __m256i qy = _mm256_loadu_si256((const __m256i *)a->y[b].qs);
        const __m256i start = offset ? _mm256_load_si256(&a->start[b]) : _mm256_setzero_si256();
        // The rows' d converted together, lane r times d_a. They are gathered into one word by
        // integer instructions: inserting them into a vector one by one took a vector shuffle
        // each (3-5 % slower in a cache-resident run).
        const char *blocks[CK_ROWS];
        uint64_t halves = 0;
        for (int r = 0; r < R; ++r) {
            blocks[r] = ck_scaled_block(kind, rows[r], b);
            halves |= (uint64_t)ck_half_bits(blocks[r]) << (16 * r);
        }
        const __m128 scales = _mm_mul_ps(_mm_cvtph_ps(_mm_cvtsi64_si128((long long)halves)), _mm_broadcast_ss(&a->d[b]));
        for (int r = 0; r < R; ++r) {
            const __m256 scale = _mm256_permutevar8x32_ps(_mm256_castps128_ps256(scales), _mm256_set1_epi32(r));
            acc[r] = _mm256_fmadd_ps(scale, _mm256_cvtepi32_ps(ck_scaled_lanes(kind, blocks[r], qy, start)), acc[r]);
        }
    }
    for (int r = 0; r < R; ++r) *outs[r] = ck_hsum8(acc[r]);
}

#define CK_SCALED_BODY(TYPE, KIND)                                                                              \
    CK_INLINE void ck_##TYPE##_body(int n, const char *const rows[CK_ROWS], int R, const void *prepared,        \
                                    float *const outs[CK_ROWS]) {                                                \
        ck_scaled_body(KIND, n, rows, R, prepared, outs);                                                        \
    }

/// The exported row kernel of a scaled type: prepares the activations, then runs the row
/// groups of CK_ROWS_KERNEL over them.
#define CK_SCALED_ROWS_KERNEL(TYPE, KIND)                                                                       \
    CK_SCALED_BODY(TYPE, KIND)                                                                                   \
    static CK_ROWS_KERNEL(TYPE##_prepared, ck_##TYPE##_body)                                                     \
    void CK_NAME(ck_##TYPE##_rows)(int n, const void *weights, size_t row_bytes, int rows,                     \
                                   const void *activations, float *out) {                                       \
        const int nb = n / 32;                                                                                   \
        const ck_block_q8_0 *y = activations;                                                                    \
        const int offset = (KIND) == CK_LEVELS_Q4_0 ? 8 : 16;                                                    \
        float d[nb];                                                                                             \
        __m256i start[(KIND) == CK_LEVELS_Q8_0 ? 1 : nb];                                                        \
        for (int b = 0; b < nb; ++b) {                                                                           \
            d[b] = ck_half(y[b].d);                                                                              \
            if ((KIND) != CK_LEVELS_Q8_0)                                                                        \
                start[b] = _mm256_sub_epi32(_mm256_setzero_si256(), ck_dot4(_mm256_setzero_si256(),             \
                    _mm256_set1_epi8((char)offset), _mm256_loadu_si256((const __m256i *)y[b].qs)));             \
        }                                                                                                        \
        const ck_scaled_activations prepared = { y, d, start };                                                  \
        CK_NAME(ck_##TYPE##_prepared_rows)(n, weights, row_bytes, rows, &prepared, out);                         \
    }

CK_SCALED_ROWS_KERNEL(q4_0, CK_LEVELS_Q4_0)
CK_SCALED_ROWS_KERNEL(q5_0, CK_LEVELS_Q5_0)
CK_SCALED_ROWS_KERNEL(q8_0, CK_LEVELS_Q8_0)
