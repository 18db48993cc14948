// The kernels each ISA file exports, for the dispatch table (dispatch.c).
#ifndef CK_KERNELS_H
#define CK_KERNELS_H

#include <stddef.h>

#define CK_DECLARE(TYPE)                                                                               \
    void ck_##TYPE##_rows_avx2(int n, const void *weights, size_t row_bytes, int rows,                  \
                               const void *activations, float *out);                                    \
    void ck_##TYPE##_rows_avx512vnni(int n, const void *weights, size_t row_bytes, int rows,            \
                                     const void *activations, float *out);

CK_DECLARE(q4_0)
CK_DECLARE(q4_1)
CK_DECLARE(q5_0)
CK_DECLARE(q8_0)
CK_DECLARE(q4_K)
CK_DECLARE(q5_K)
CK_DECLARE(q6_K)

#undef CK_DECLARE

#define CK_DECLARE_TOKENS(TYPE)                                                                             \
    void ck_##TYPE##_tokens_avx2(int n, const void *weights, size_t row_bytes, int rows,                     \
                                 const void *activations, size_t activation_bytes, int tokens,              \
                                 float *out, size_t out_stride);                                              \
    void ck_##TYPE##_tokens_avx512vnni(int n, const void *weights, size_t row_bytes, int rows,               \
                                       const void *activations, size_t activation_bytes, int tokens,        \
                                       float *out, size_t out_stride);

CK_DECLARE_TOKENS(q4_0)
CK_DECLARE_TOKENS(q4_1)
CK_DECLARE_TOKENS(q5_0)
CK_DECLARE_TOKENS(q8_0)

#undef CK_DECLARE_TOKENS

#define CK_DECLARE_TILES(NAME)                                                                              \
    void NAME##_avx2(int n, const void *weights, size_t weight_bytes, int rows, const void *activations,        \
                     size_t activation_bytes, int tokens, float *out, size_t out_stride);                       \
    void NAME##_avx512vnni(int n, const void *weights, size_t weight_bytes, int rows, const void *activations,  \
                           size_t activation_bytes, int tokens, float *out, size_t out_stride);

CK_DECLARE_TILES(ck_scaled_lanes_tiles)
CK_DECLARE_TILES(ck_q4_1_lanes_tiles)
CK_DECLARE_TILES(ck_q4_K_lanes_tiles)
CK_DECLARE_TILES(ck_q6_K_lanes_tiles)

#undef CK_DECLARE_TILES

void ck_quantize_q8_0_avx2(const float *x, void *y, int n);
void ck_quantize_q8_0_avx512vnni(const float *x, void *y, int n);
void ck_quantize_q8_1_avx2(const float *x, void *y, int n);
void ck_quantize_q8_1_avx512vnni(const float *x, void *y, int n);

#endif
