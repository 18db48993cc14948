// ggml's block layouts (ggml-common.h) for the types the decode kernels read, byte for byte.
// f16 fields stay raw bits; the kernels widen them with F16C, which is exact.
#ifndef CK_BLOCKS_H
#define CK_BLOCKS_H

#include <stdint.h>

/// `block_q4_0`: scale d, 32 4-bit levels (value j in the low nibble of byte j, value 16 + j in its high nibble).
typedef struct { uint16_t d; uint8_t qs[16]; } ck_block_q4_0;
/// `block_q4_1`: scale d, minimum m, nibbles as q4_0.
typedef struct { uint16_t d, m; uint8_t qs[16]; } ck_block_q4_1;
/// `block_q5_0`: scale d, the fifth bit of value j in bit j of qh, low nibbles as q4_0.
typedef struct { uint16_t d; uint8_t qh[4]; uint8_t qs[16]; } ck_block_q5_0;
/// `block_q8_0`: scale d, 32 signed levels.
typedef struct { uint16_t d; int8_t qs[32]; } ck_block_q8_0;
/// `block_q8_1`: scale d, s = d·Σqs, 32 signed levels.
typedef struct { uint16_t d, s; int8_t qs[32]; } ck_block_q8_1;
/// `block_q4_K`: 256 values in eight sub-blocks of 32, each with a 6-bit scale and minimum
/// packed into 12 bytes; 32-byte group j holds sub-block 2j in its low nibbles, 2j + 1 in its high.
typedef struct { uint16_t d, dmin; uint8_t scales[12]; uint8_t qs[128]; } ck_block_q4_K;
/// `block_q5_K`: q4_K plus the fifth bits; bit s of qh[i] belongs to value i of sub-block s.
typedef struct { uint16_t d, dmin; uint8_t scales[12]; uint8_t qh[32]; uint8_t qs[128]; } ck_block_q5_K;
/// `block_q6_K`: 256 6-bit levels (low nibbles in ql, top two bits in qh), 16 int8 scales
/// of 16-value sub-blocks, then d.
typedef struct { uint8_t ql[128]; uint8_t qh[64]; int8_t scales[16]; uint16_t d; } ck_block_q6_K;
/// `block_q8_K`: float scale, 256 signed levels, and the sum of each 16 of them.
typedef struct { float d; int8_t qs[256]; int16_t bsums[16]; } ck_block_q8_K;

_Static_assert(sizeof(ck_block_q4_0) == 18, "block_q4_0");
_Static_assert(sizeof(ck_block_q4_1) == 20, "block_q4_1");
_Static_assert(sizeof(ck_block_q5_0) == 22, "block_q5_0");
_Static_assert(sizeof(ck_block_q8_0) == 34, "block_q8_0");
_Static_assert(sizeof(ck_block_q8_1) == 36, "block_q8_1");
_Static_assert(sizeof(ck_block_q4_K) == 144, "block_q4_K");
_Static_assert(sizeof(ck_block_q5_K) == 176, "block_q5_K");
_Static_assert(sizeof(ck_block_q6_K) == 210, "block_q6_K");
_Static_assert(sizeof(ck_block_q8_K) == 292, "block_q8_K");

#endif
