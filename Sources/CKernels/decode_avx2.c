// The decode kernels for AVX2 + FMA + F16C. Byte products go through `vpmaddubsw` (unsigned ×
// signed pairs to int16) then `vpmaddwd` against ones, as ggml's AVX2 build sums them.
// x86 only: elsewhere dispatch.c offers no kernels and the Swift ones serve.
#if defined(__x86_64__)
#include <immintrin.h>
#include <stdint.h>
#include <stddef.h>

#include "blocks.h"
#include "kernels.h"

// Only the fused multiply-adds written as such fuse: ggml's float steps are held to exactly.
#pragma STDC FP_CONTRACT OFF
#pragma clang attribute push(__attribute__((target("avx2,fma,f16c"))), apply_to = function)

#define CK_NAME(name) name##_avx2

static inline __m256i ck_dot4(__m256i acc, __m256i u, __m256i s) {
    return _mm256_add_epi32(acc, _mm256_madd_epi16(_mm256_maddubs_epi16(u, s), _mm256_set1_epi16(1)));
}

static inline __m256i ck_madd(__m256i acc, __m256i a, __m256i b) {
    return _mm256_add_epi32(acc, _mm256_madd_epi16(a, b));
}

static inline __m256i ck_bit_bytes(uint32_t bits, __m256i v) {
    // Byte j takes byte j / 8 of `bits`, then keeps only its bit j % 8.
    const __m256i spread = _mm256_shuffle_epi8(_mm256_set1_epi32((int)bits),
        _mm256_set_epi64x(0x0303030303030303, 0x0202020202020202, 0x0101010101010101, 0));
    const __m256i select = _mm256_set1_epi64x((long long)0x8040201008040201ULL);
    return _mm256_and_si256(_mm256_cmpeq_epi8(_mm256_and_si256(spread, select), select), v);
}

#include "lanes.h"
#include "scaled.h"
#include "q4_1.h"
#include "kquants.h"
#include "q6_K.h"
#include "tokens.h"
#include "tiles.h"
#include "quantize.h"

#pragma clang attribute pop

#endif
