// Decode row-dot kernels in C: the instructions Swift cannot spell (vpmaddubsw, vpdpbusd,
// vpdpwssd) over weight rows as stored and one activation row in ggml's layout. Each result is
// bit for bit what ggml's x86 `ggml_vec_dot_<type>_<vec_dot_type>` returns for the same two
// rows (built for AVX-512 + VNNI): the same int32 lanes, the same float steps in its order.
//
// Every kernel exists once per instruction set, compiled out of line under its own target
// attribute (design/aesthetics.md §3.6–3.7), and is chosen at run time from the CPU's features.
#ifndef CKERNELS_H
#define CKERNELS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// The instruction sets a kernel table is compiled for, weakest first.
typedef enum {
    /// No C kernels: the CPU lacks AVX2, FMA or F16C.
    CK_ISA_NONE = 0,
    /// AVX2 + FMA + F16C: `vpmaddubsw` then `vpmaddwd` for the byte products.
    CK_ISA_AVX2 = 1,
    /// AVX-512 F/BW/VL + VNNI on 256-bit vectors: `vpdpbusd` and `vpdpwssd`.
    CK_ISA_AVX512_VNNI = 2,
} ck_isa;

/// Dot products of `rows` weight rows of `n` values each, the first at `weights` and each
/// `row_bytes` after the previous, with one activation row `activations` of `n` values of the
/// weight type's vec_dot_type (q8_0, q8_1 or q8_K, ggml's block layouts): `out[r]` is row r's.
/// `n` is a whole number of blocks. Rows are taken four at a time, sharing the activation
/// loads: row r with rows r + q, r + 2q, r + 3q (q = rows / 4), so that all four advance
/// through memory sequentially.
typedef void (*ck_rows_kernel)(int n, const void *weights, size_t row_bytes, int rows,
                               const void *activations, float *out);

/// Dot products of `rows` weight rows (as for `ck_rows_kernel`) with `tokens` activation rows,
/// the first at `activations` and each `activation_bytes` after the previous: the result of
/// row r and token t goes to `out[t * out_stride + r]`, bit for bit what `ck_rows_kernel`
/// gives for that pair. Each weight block is unpacked once for all the tokens.
typedef void (*ck_tokens_kernel)(int n, const void *weights, size_t row_bytes, int rows,
                                 const void *activations, size_t activation_bytes, int tokens,
                                 float *out, size_t out_stride);

/// Dot products for a prompt's matmul on weight rows MatMul has unpacked into Kernels' lane
/// form (`rows` rows, each `weight_bytes` after the previous) with `tokens` activation rows
/// prepared in Kernels' form (each `activation_bytes` after the previous): the result of row r
/// and token t goes to `out[t * out_stride + r]`, bit for bit the Swift kernel's `dot` of the pair.
typedef void (*ck_tiles_kernel)(int n, const void *weights, size_t weight_bytes, int rows,
                                const void *activations, size_t activation_bytes, int tokens,
                                float *out, size_t out_stride);

/// Quantizes the activation row `x` of `n` values (whole 32-value blocks) into `y` in ggml's
/// q8_0 or q8_1 layout, byte for byte x86 ggml's `quantize_row_q8_0` / `quantize_row_q8_1`.
typedef void (*ck_quantize_kernel)(const float *x, void *y, int n);

/// A spin-wait hint for busy loops (x86 `pause`): the waiting thread yields the core's
/// execution resources and leaves the loop without a memory-order pipeline flush.
static inline void ck_spin_pause(void) {
#if defined(__x86_64__)
    __builtin_ia32_pause();
#endif
}

/// The strongest instruction set this CPU supports that has kernels.
ck_isa ck_best_isa(void);

/// The kernel for weights of ggml type `ggml_type` (its `enum ggml_type` value) compiled for
/// `isa`, or NULL where there is none or this CPU cannot run `isa`.
ck_rows_kernel ck_rows_kernel_for(ck_isa isa, unsigned ggml_type);

/// The several-token kernel for weights of ggml type `ggml_type` compiled for `isa`, or NULL
/// where there is none (the type's `ck_rows_kernel` then serves each token) or this CPU
/// cannot run `isa`.
ck_tokens_kernel ck_tokens_kernel_for(ck_isa isa, unsigned ggml_type);

/// The prompt kernel for weights of ggml type `ggml_type` unpacked in Kernels' lane form,
/// compiled for `isa`, or NULL where there is none (the Swift kernels then serve) or this CPU
/// cannot run `isa`.
ck_tiles_kernel ck_tiles_kernel_for(ck_isa isa, unsigned ggml_type);

/// The activation quantizer for ggml type `ggml_type` (q8_0 or q8_1) compiled for `isa`, or
/// NULL where there is none (the Swift quantizers then serve) or this CPU cannot run `isa`.
ck_quantize_kernel ck_quantize_kernel_for(ck_isa isa, unsigned ggml_type);

#ifdef __cplusplus
}
#endif

#endif
