// Picks the kernels by what this CPU (and its OS) can run: CPUID feature bits, and XGETBV for
// the register state the OS saves, without which AVX or AVX-512 instructions fault.
#include "CKernels.h"

#if defined(__x86_64__)

#include <cpuid.h>
#include <immintrin.h>
#include <stdatomic.h>
#include <stdint.h>

#include "kernels.h"

/// XCR0, the register state the OS enables (read only once CPUID reports OSXSAVE).
__attribute__((target("xsave")))
static uint64_t ck_xcr0(void) { return _xgetbv(0); }

static ck_isa ck_detect_isa(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return CK_ISA_NONE;
    const int fma = (c >> 12) & 1, osxsave = (c >> 27) & 1, f16c = (c >> 29) & 1;
    if (!(fma && osxsave && f16c)) return CK_ISA_NONE;
    const uint64_t xcr0 = ck_xcr0();
    if ((xcr0 & 0x6) != 0x6) return CK_ISA_NONE;  // XMM and YMM state
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return CK_ISA_NONE;
    const int avx2 = (b >> 5) & 1;
    if (!avx2) return CK_ISA_NONE;
    const int avx512f = (b >> 16) & 1, avx512bw = (b >> 30) & 1, avx512vl = (b >> 31) & 1;
    const int vnni = (c >> 11) & 1;
    const int zmm_state = (xcr0 & 0xE6) == 0xE6;  // plus opmask, upper ZMM0-15 and ZMM16-31
    if (avx512f && avx512bw && avx512vl && vnni && zmm_state) return CK_ISA_AVX512_VNNI;
    return CK_ISA_AVX2;
}

ck_isa ck_best_isa(void) {
    // CPUID is slow (under a hypervisor it traps), and every matmul asks: detect once. Racing
    // first callers store the same value.
    static _Atomic int best = -1;
    int isa = atomic_load_explicit(&best, memory_order_relaxed);
    if (isa < 0) {
        isa = (int)ck_detect_isa();
        atomic_store_explicit(&best, isa, memory_order_relaxed);
    }
    return (ck_isa)isa;
}

#define CK_CASE(ID, TYPE) case ID: return isa == CK_ISA_AVX2 ? ck_##TYPE##_rows_avx2 : ck_##TYPE##_rows_avx512vnni;

ck_rows_kernel ck_rows_kernel_for(ck_isa isa, unsigned ggml_type) {
    if (isa == CK_ISA_NONE || isa > ck_best_isa()) return 0;
    switch (ggml_type) {  // enum ggml_type values
        CK_CASE(2, q4_0)
        CK_CASE(3, q4_1)
        CK_CASE(6, q5_0)
        CK_CASE(8, q8_0)
        CK_CASE(12, q4_K)
        CK_CASE(13, q5_K)
        CK_CASE(14, q6_K)
        default: return 0;
    }
}

#define CK_TOKENS_CASE(ID, TYPE) case ID: return isa == CK_ISA_AVX2 ? ck_##TYPE##_tokens_avx2 : ck_##TYPE##_tokens_avx512vnni;

ck_tokens_kernel ck_tokens_kernel_for(ck_isa isa, unsigned ggml_type) {
    if (isa == CK_ISA_NONE || isa > ck_best_isa()) return 0;
    switch (ggml_type) {  // enum ggml_type values
        CK_TOKENS_CASE(2, q4_0)
        CK_TOKENS_CASE(3, q4_1)
        CK_TOKENS_CASE(6, q5_0)
        CK_TOKENS_CASE(8, q8_0)
        default: return 0;
    }
}

ck_tiles_kernel ck_tiles_kernel_for(ck_isa isa, unsigned ggml_type) {
    if (isa == CK_ISA_NONE || isa > ck_best_isa()) return 0;
    switch (ggml_type) {  // enum ggml_type values: q4_0, q5_0 and q8_0 share the lane form
        case 2: case 6: case 8:
            return isa == CK_ISA_AVX2 ? ck_scaled_lanes_tiles_avx2 : ck_scaled_lanes_tiles_avx512vnni;
        case 3: return isa == CK_ISA_AVX2 ? ck_q4_1_lanes_tiles_avx2 : ck_q4_1_lanes_tiles_avx512vnni;
        case 12: return isa == CK_ISA_AVX2 ? ck_q4_K_lanes_tiles_avx2 : ck_q4_K_lanes_tiles_avx512vnni;
        case 14: return isa == CK_ISA_AVX2 ? ck_q6_K_lanes_tiles_avx2 : ck_q6_K_lanes_tiles_avx512vnni;
        default: return 0;
    }
}

ck_quantize_kernel ck_quantize_kernel_for(ck_isa isa, unsigned ggml_type) {
    if (isa == CK_ISA_NONE || isa > ck_best_isa()) return 0;
    switch (ggml_type) {  // enum ggml_type values
        case 8: return isa == CK_ISA_AVX2 ? ck_quantize_q8_0_avx2 : ck_quantize_q8_0_avx512vnni;
        case 9: return isa == CK_ISA_AVX2 ? ck_quantize_q8_1_avx2 : ck_quantize_q8_1_avx512vnni;
        default: return 0;
    }
}

#else

ck_isa ck_best_isa(void) { return CK_ISA_NONE; }

ck_quantize_kernel ck_quantize_kernel_for(ck_isa isa, unsigned ggml_type) {
    (void)isa;
    (void)ggml_type;
    return 0;
}

ck_tiles_kernel ck_tiles_kernel_for(ck_isa isa, unsigned ggml_type) {
    (void)isa;
    (void)ggml_type;
    return 0;
}

ck_tokens_kernel ck_tokens_kernel_for(ck_isa isa, unsigned ggml_type) {
    (void)isa;
    (void)ggml_type;
    return 0;
}

ck_rows_kernel ck_rows_kernel_for(ck_isa isa, unsigned ggml_type) {
    (void)isa;
    (void)ggml_type;
    return 0;
}

#endif
