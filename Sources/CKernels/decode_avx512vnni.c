// The decode kernels for AVX-512 VNNI on 256-bit vectors (F, BW, VL, VNNI with AVX2, FMA,
// F16C), as ggml's AVX-512 + VNNI build runs them: `vpdpbusd` sums four byte products per lane
// and `vpdpwssd` fuses `vpmaddwd` with its addition. The lanes are those of the AVX2 kernels.
// x86 only: elsewhere dispatch.c offers no kernels and the Swift ones serve.
#if defined(__x86_64__)
#include <immintrin.h>
#include <stdint.h>
#include <stddef.h>

#include "blocks.h"
#include "kernels.h"

// Only the fused multiply-adds written as such fuse: ggml's float steps are held to exactly.
#pragma STDC FP_CONTRACT OFF
#pragma clang attribute push(__attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni,avx2,fma,f16c"))), apply_to = function)

#define CK_NAME(name) name##_avx512vnni

static inline __m256i ck_dot4(__m256i acc, __m256i u, __m256i s) {
    return _mm256_dpbusd_epi32(acc, u, s);
}

static inline __m256i ck_madd(__m256i acc, __m256i a, __m256i b) {
    return _mm256_dpwssd_epi32(acc, a, b);
}

static inline __m256i ck_bit_bytes(uint32_t bits, __m256i v) {
    return _mm256_maskz_mov_epi8((__mmask32)bits, v);
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
