// Steps every decode kernel shares, compiled once per instruction set: each ISA file includes
// this after defining its integer primitives and opening its target attribute, so these
// inline functions take that file's target.
//
// The primitives an ISA file provides (all exact integer arithmetic):
//   ck_dot4(acc, u, s):   acc + eight int32 lanes, lane k = Σ u[i]·s[i] over bytes 4k..<4k+4,
//                         u unsigned, s signed (what ggml's `mul_sum_us8_pairs_float` sums).
//   ck_madd(acc, a, b):   acc + `vpmaddwd`(a, b), lane k = a[2k]·b[2k] + a[2k+1]·b[2k+1].
//   ck_bit_bytes(bits, v): byte j of v where bit j of `bits` is set, else 0.
// ggml's lanes are these, whether its build sums them with `vpdpbusd` or with `vpmaddubsw` then
// `vpmaddwd`: no pair of byte products here reaches the int16 saturation bound.
#ifndef CK_LANES_H
#define CK_LANES_H

#include <string.h>

#define CK_INLINE static inline __attribute__((always_inline))

/// The four bytes at `p` as one word (blocks need not be 4-byte aligned).
static inline uint32_t ck_word(const void *p) {
    uint32_t word;
    memcpy(&word, p, 4);
    return word;
}

/// An f16 as a float (exact).
static inline float ck_half(uint16_t h) { return _cvtsh_ss(h); }

/// The bits of the f16 at `p`.
static inline uint16_t ck_half_bits(const void *p) {
    uint16_t h;
    memcpy(&h, p, 2);
    return h;
}

/// The two f16 at `p` as floats in lanes 0 and 1 (lanes 2 and 3 zero).
static inline __m128 ck_two_halves(const void *p) {
    return _mm_cvtph_ps(_mm_cvtsi32_si128((int)ck_word(p)));
}

/// ggml's `hsum_float_8`: upper four lanes onto the lower four, lanes 2, 3 onto 0, 1, then 1 onto 0.
static inline float ck_hsum8(__m256 v) {
    const __m128 four = _mm_add_ps(_mm256_extractf128_ps(v, 1), _mm256_castps256_ps128(v));
    const __m128 two = _mm_add_ps(four, _mm_movehl_ps(four, four));
    return _mm_cvtss_f32(_mm_add_ss(two, _mm_movehdup_ps(two)));
}

/// a·b + c rounded once, as gcc's contraction of ggml's scalar `c += a * b` computes it.
static inline float ck_fma(float a, float b, float c) {
    return _mm_cvtss_f32(_mm_fmadd_ss(_mm_set_ss(a), _mm_set_ss(b), _mm_set_ss(c)));
}

/// The 32 nibbles at `p` as bytes in value order: low nibbles are values 0..<16, high nibbles 16..<32.
static inline __m256i ck_nibbles(const uint8_t *p) {
    // The 16 bytes loaded into both halves, the upper half's dwords shifted down 4 bits (the
    // mask keeps each byte's own nibble): one shift instead of a shift and an insert.
    const __m256i both = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)p));
    return _mm256_and_si256(_mm256_srlv_epi32(both, _mm256_setr_epi32(0, 0, 0, 0, 4, 4, 4, 4)), _mm256_set1_epi8(0x0F));
}

/// int16 element `s` of each 128-bit half, repeated across that half (a `vpshufb` control).
static inline __m256i ck_broadcast16(int s) { return _mm256_set1_epi16((short)((2 * s + 1) << 8 | 2 * s)); }

/// Rows a kernel body computes at once, sharing each activation load.
#define CK_ROWS 4

/// Defines the exported kernel for TYPE over the always-inline body BODY(n, rows, R,
/// activations, outs), which computes the dots of the R ≤ CK_ROWS rows at rows[0..<R] into
/// *outs[0..<R]. Rows go in fours, row r with rows r + q, r + 2q and r + 3q (q = rows / 4):
/// four sequential streams through memory. (Taking neighbours together instead, each stream
/// skipping the others' rows, measured at half ggml's DRAM speed; two streams gained less than
/// four.) The rows past 4q go one at a time.
#define CK_ROWS_KERNEL(TYPE, BODY)                                                                     \
    void CK_NAME(ck_##TYPE##_rows)(int n, const void *weights, size_t row_bytes, int rows,            \
                                   const void *activations, float *out) {                              \
        const char *base = (const char *)weights;                                                      \
        const int q = rows / CK_ROWS;                                                                  \
        for (int r = 0; r < q; ++r) {                                                                  \
            const char *group[CK_ROWS];                                                                \
            float *outs[CK_ROWS];                                                                      \
            for (int i = 0; i < CK_ROWS; ++i) {                                                        \
                group[i] = base + (size_t)(r + i * q) * row_bytes;                                     \
                outs[i] = out + r + i * q;                                                             \
            }                                                                                          \
            BODY(n, group, CK_ROWS, activations, outs);                                                \
        }                                                                                              \
        for (int r = CK_ROWS * q; r < rows; ++r) {                                                     \
            const char *one[CK_ROWS] = { base + (size_t)r * row_bytes };                               \
            float *outs[CK_ROWS] = { out + r };                                                        \
            BODY(n, one, 1, activations, outs);                                                        \
        }                                                                                              \
    }

#endif
