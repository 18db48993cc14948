// q4_K · q8_K and q5_K · q8_K, reproducing `ggml_vec_dot_q4_K_q8_K` and
// `ggml_vec_dot_q5_K_q8_K` (ggml-cpu/arch/x86/quants.c, AVX2 paths; ggml has no VNNI form of
// these, so its AVX-512 build runs them too). Per 256-value block:
//   - eight int32 lanes of Σ over the eight 32-value sub-blocks of scale × (level · quant
//     summed four at a time), converted and fused into eight accumulators with d·d_x;
//   - the minimums: four lanes of min[2k]·Σ₃₂[2k] + min[2k+1]·Σ₃₂[2k+1] (Σ₃₂ from the
//     activation's bsums). q4_K fuses them into four accumulators with −dmin·d_x and ends with
//     `hsum_float_8` plus those four summed as (0 + 2) + (1 + 3); q5_K sums the four in
//     integers, fuses that into one float with −dmin·d_x (gcc contracts ggml's
//     `summs += dmin * …` into an FMA) and adds it last.

/// A block's eight scales (bytes 0..<8) and eight mins (8..<16), 6 bits each, from the 12
/// packed bytes at `p`: scales 0..<4 and mins 0..<4 are the low 6 bits of bytes 0..<4 and 4..<8;
/// scales and mins 4..<8 take their low 4 bits from bytes 8..<12 (low, high nibble) and their
/// top 2 from the top bits of bytes 0..<4 and 4..<8.
CK_INLINE __m128i ck_scales_and_mins(const uint8_t *p) {
    const uint32_t first = ck_word(p), second = ck_word(p + 4), third = ck_word(p + 8);
    const uint32_t scales_low = first & 0x3F3F3F3F, mins_low = second & 0x3F3F3F3F;
    const uint32_t scales_high = (third & 0x0F0F0F0F) | ((first >> 6) & 0x03030303) << 4;
    const uint32_t mins_high = ((third >> 4) & 0x0F0F0F0F) | ((second >> 6) & 0x03030303) << 4;
    return _mm_set_epi32((int)mins_high, (int)mins_low, (int)scales_high, (int)scales_low);
}

/// Byte i of `v` is the fifth bit of value i of sub-block s: that bit moved to bit 4, all else clear.
CK_INLINE __m256i ck_fifth_bits(__m256i v, int s) {
    // 16-bit shifts are safe: bit 4 of each byte comes from bit s of the same byte.
    const __m256i moved = s <= 4 ? _mm256_slli_epi16(v, 4 - s) : _mm256_srli_epi16(v, s - 4);
    return _mm256_and_si256(moved, _mm256_set1_epi8(0x10));
}

CK_INLINE void ck_kquant_body(int five, int n, const char *const rows[CK_ROWS], int R, const void *activations, float *const outs[CK_ROWS]) {
    const int nb = n / 256;
    const size_t block_bytes = five ? sizeof(ck_block_q5_K) : sizeof(ck_block_q4_K);
    const ck_block_q8_K *y = activations;
    const __m256i low4 = _mm256_set1_epi8(0x0F);
    __m256 acc[CK_ROWS];
    __m128 mins4[CK_ROWS];
    float mins1[CK_ROWS];
    for (int r = 0; r < R; ++r) {
        acc[r] = _mm256_setzero_ps();
        mins4[r] = _mm_setzero_ps();
        mins1[r] = 0;
    }
    for (int b = 0; b < nb; ++b) {
        const __m256i bsums = _mm256_loadu_si256((const __m256i *)y[b].bsums);
        const __m128i sums32 = _mm_hadd_epi16(_mm256_castsi256_si128(bsums), _mm256_extracti128_si256(bsums, 1));
        // Row by row within the block: the activation block stays in L1 for the next row, and
        // only the accumulators live across rows (all rows' lanes at once would spill).
#pragma clang loop unroll(full)
        for (int r = 0; r < R; ++r) {
            // q4_K and q5_K start alike: d, dmin, the 12 scale bytes; q5_K then has qh before qs.
            const ck_block_q4_K *x = (const ck_block_q4_K *)(rows[r] + (size_t)b * block_bytes);
            const float dmin = -y[b].d * ck_half(x->dmin);
            const __m256i both = _mm256_cvtepu8_epi16(ck_scales_and_mins(x->scales));
            const __m128i minimums = _mm_madd_epi16(_mm256_extracti128_si256(both, 1), sums32);
            const uint8_t *qs = x->qs, *qh = 0;
            if (five) {
                const __m128i two = _mm_add_epi32(minimums, _mm_unpackhi_epi64(minimums, minimums));
                const int total = _mm_cvtsi128_si32(_mm_add_epi32(two, _mm_shuffle_epi32(two, 1)));
                mins1[r] = ck_fma(dmin, (float)total, mins1[r]);
                qh = ((const ck_block_q5_K *)x)->qh;
                qs = ((const ck_block_q5_K *)x)->qs;
            } else {
                mins4[r] = _mm_fmadd_ps(_mm_set1_ps(dmin), _mm_cvtepi32_ps(minimums), mins4[r]);
            }
            const __m256i scales = _mm256_broadcastsi128_si256(_mm256_castsi256_si128(both));
            const __m256i fifth = five ? _mm256_loadu_si256((const __m256i *)qh) : _mm256_setzero_si256();
            __m256i sumi = _mm256_setzero_si256();
            for (int j = 0; j < 4; ++j) {
                const __m256i bits = _mm256_loadu_si256((const __m256i *)(qs + 32 * j));
                __m256i low = _mm256_and_si256(bits, low4);
                __m256i high = _mm256_and_si256(_mm256_srli_epi16(bits, 4), low4);
                if (five) {
                    low = _mm256_or_si256(low, ck_fifth_bits(fifth, 2 * j));
                    high = _mm256_or_si256(high, ck_fifth_bits(fifth, 2 * j + 1));
                }
                const __m256i q8low = _mm256_loadu_si256((const __m256i *)(y[b].qs + 64 * j));
                const __m256i q8high = _mm256_loadu_si256((const __m256i *)(y[b].qs + 64 * j + 32));
                sumi = ck_madd(sumi, _mm256_shuffle_epi8(scales, ck_broadcast16(2 * j)), _mm256_maddubs_epi16(low, q8low));
                sumi = ck_madd(sumi, _mm256_shuffle_epi8(scales, ck_broadcast16(2 * j + 1)), _mm256_maddubs_epi16(high, q8high));
            }
            acc[r] = _mm256_fmadd_ps(_mm256_set1_ps(y[b].d * ck_half(x->d)), _mm256_cvtepi32_ps(sumi), acc[r]);
        }
    }
    for (int r = 0; r < R; ++r) {
        if (five) {
            *outs[r] = ck_hsum8(acc[r]) + mins1[r];
        } else {
            const __m128 two = _mm_add_ps(mins4[r], _mm_movehl_ps(mins4[r], mins4[r]));
            *outs[r] = ck_hsum8(acc[r]) + _mm_cvtss_f32(_mm_add_ss(two, _mm_movehdup_ps(two)));
        }
    }
}

CK_INLINE void ck_q4_K_body(int n, const char *const rows[CK_ROWS], int R, const void *activations, float *const outs[CK_ROWS]) {
    ck_kquant_body(0, n, rows, R, activations, outs);
}

CK_INLINE void ck_q5_K_body(int n, const char *const rows[CK_ROWS], int R, const void *activations, float *const outs[CK_ROWS]) {
    ck_kquant_body(1, n, rows, R, activations, outs);
}

CK_ROWS_KERNEL(q4_K, ck_q4_K_body)
CK_ROWS_KERNEL(q5_K, ck_q5_K_body)
