// q6_K · q8_K, reproducing `ggml_vec_dot_q6_K_q8_K` (ggml-cpu/arch/x86/quants.c, AVX2 path;
// ggml has no VNNI form of it, so its AVX-512 build runs this too). Per 256-value block: eight
// int32 lanes of Σ over the eight 32-value runs of scale × (unsigned 6-bit level · quant summed
// four at a time), less 32·(scale[2k]·Σ₁₆[2k] + scale[2k+1]·Σ₁₆[2k+1]) in lane k for the
// levels' offset of 32 (Σ₁₆ being the activation's bsums); converted and fused into eight
// accumulators with d·d_x; `hsum_float_8` at the end.
//
// Run m (values 32m..<32m+32) takes scale 2m for its first 16 values and 2m + 1 for the rest.
// Its levels: half h = m / 4 of the block holds 64 bytes of low nibbles and 32 bytes of top
// bits; run 4h + i has the low (i = 0, 1) or high (i = 2, 3) nibbles of bytes 32·(i % 2)
// onwards and bits 2i, 2i + 1 of the top-bit bytes.

CK_INLINE void ck_q6_K_body(int n, const char *const rows[CK_ROWS], int R, const void *activations, float *const outs[CK_ROWS]) {
    const int nb = n / 256;
    const ck_block_q8_K *y = activations;
    const __m256i low4 = _mm256_set1_epi8(0x0F);
    // Even scales to the low half, odd scales to the high half, so one in-lane shuffle puts
    // scale 2m under a run's first 16 values and 2m + 1 under the rest.
    const __m128i evens_then_odds = _mm_setr_epi8(0, 2, 4, 6, 8, 10, 12, 14, 1, 3, 5, 7, 9, 11, 13, 15);
    const ck_block_q6_K *x[CK_ROWS];
    __m256 acc[CK_ROWS];
    for (int r = 0; r < R; ++r) {
        x[r] = (const ck_block_q6_K *)rows[r];
        acc[r] = _mm256_setzero_ps();
    }
    for (int b = 0; b < nb; ++b) {
        const __m256i bsums = _mm256_loadu_si256((const __m256i *)y[b].bsums);
        // Row by row within the block, as in kquants.h: the activation block stays in L1.
#pragma clang loop unroll(full)
        for (int r = 0; r < R; ++r) {
            const ck_block_q6_K *block = &x[r][b];
            const __m128i scales = _mm_loadu_si128((const __m128i *)block->scales);
            const __m256i paired = _mm256_cvtepi8_epi16(_mm_shuffle_epi8(scales, evens_then_odds));
            __m256i sumi = _mm256_sub_epi32(_mm256_setzero_si256(),
                                            _mm256_slli_epi32(_mm256_madd_epi16(bsums, _mm256_cvtepi8_epi16(scales)), 5));
            for (int h = 0; h < 2; ++h) {
                const __m256i low_a = _mm256_loadu_si256((const __m256i *)(block->ql + 64 * h));
                const __m256i low_b = _mm256_loadu_si256((const __m256i *)(block->ql + 64 * h + 32));
                const __m256i top = _mm256_loadu_si256((const __m256i *)(block->qh + 32 * h));
                // Each top-bit pair moved to bits 4–5 of its byte (16-bit shifts: the mask
                // keeps only bits from the same byte).
                const __m256i levels[4] = {
                    _mm256_or_si256(_mm256_and_si256(low_a, low4), _mm256_and_si256(_mm256_slli_epi16(top, 4), _mm256_set1_epi8(0x30))),
                    _mm256_or_si256(_mm256_and_si256(low_b, low4), _mm256_and_si256(_mm256_slli_epi16(top, 2), _mm256_set1_epi8(0x30))),
                    _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(low_a, 4), low4), _mm256_and_si256(top, _mm256_set1_epi8(0x30))),
                    _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(low_b, 4), low4), _mm256_and_si256(_mm256_srli_epi16(top, 2), _mm256_set1_epi8(0x30))),
                };
                for (int i = 0; i < 4; ++i) {
                    const __m256i q8 = _mm256_loadu_si256((const __m256i *)(y[b].qs + 128 * h + 32 * i));
                    const __m256i scale = _mm256_shuffle_epi8(paired, ck_broadcast16(4 * h + i));
                    sumi = ck_madd(sumi, scale, _mm256_maddubs_epi16(levels[i], q8));
                }
            }
            acc[r] = _mm256_fmadd_ps(_mm256_set1_ps(y[b].d * ck_half(block->d)), _mm256_cvtepi32_ps(sumi), acc[r]);
        }
    }
    for (int r = 0; r < R; ++r) *outs[r] = ck_hsum8(acc[r]);
}

CK_ROWS_KERNEL(q6_K, ck_q6_K_body)
