import CKernels
import GGUF

/// The instruction sets the C decode kernels are compiled for.
enum DecodeISA: CaseIterable {
    /// AVX2 + FMA + F16C: byte products through `vpmaddubsw` and `vpmaddwd`.
    case avx2
    /// AVX-512 F/BW/VL + VNNI on 256-bit vectors: `vpdpbusd`, `vpdpwssd`.
    case avx512VNNI

    var cValue: ck_isa {
        switch self {
        case .avx2: CK_ISA_AVX2
        case .avx512VNNI: CK_ISA_AVX512_VNNI
        }
    }
}

/// One-token matmuls through the C kernels in Sources/CKernels: weight rows as stored against
/// one activation row in ggml's layout, summed with the instructions Swift cannot spell
/// (`vpmaddubsw`, `vpdpbusd`), bit for bit ggml's `vec_dot` like the Swift kernels. Swift has
/// to widen each block to int16 lanes first, which costs as much as the dot itself; in C a
/// decode matmul streams its weights at memory speed.
enum DecodeKernels {
    /// The instruction set chosen once, from CPUID: the strongest this CPU runs, or none (the
    /// Swift kernels then serve every matmul).
    static let best: DecodeISA? = switch ck_best_isa() {
    case CK_ISA_AVX512_VNNI: .avx512VNNI
    case CK_ISA_AVX2: .avx2
    default: nil
    }

    /// The kernel for weights of `type` on `isa` (default: the chosen one), or nil where there
    /// is none or the CPU cannot run `isa`.
    static func kernel(for type: GGMLType, isa: DecodeISA? = best) -> ck_rows_kernel? {
        guard let isa else { return nil }
        return ck_rows_kernel_for(isa.cValue, type.rawValue)
    }

    /// The several-token kernel for weights of `type` on `isa`, or nil where there is none
    /// (the one-token kernel then serves each token) or the CPU cannot run `isa`.
    static func tokensKernel(for type: GGMLType, isa: DecodeISA? = best) -> ck_tokens_kernel? {
        guard let isa else { return nil }
        return ck_tokens_kernel_for(isa.cValue, type.rawValue)
    }

    /// The C activation quantizer for `type` (q8_0, q8_1) on `isa`, or nil where there is none
    /// or the CPU cannot run `isa`.
    static func quantizer(for type: GGMLType, isa: DecodeISA? = best) -> ck_quantize_kernel? {
        guard let isa else { return nil }
        return ck_quantize_kernel_for(isa.cValue, type.rawValue)
    }

    /// Quantizes activation rows to `type` as ggml does: the C quantizer where there is one,
    /// else the Swift one (byte for byte the same; a decode step runs one per matmul on the
    /// caller's thread while the others wait).
    static func activationQuantizer(for type: GGMLType) -> QuantTraits.QuantizeRow {
        switch type {
        case .q8_0: q8_0Quantizer
        case .q8_1: q8_1Quantizer
        default: QuantTraits.table[type]!.quantizeActivation!
        }
    }

    /// The q8_0 and q8_1 quantizers, chosen once (every matmul asks).
    private static let q8_0Quantizer = chosenQuantizer(for: .q8_0)
    private static let q8_1Quantizer = chosenQuantizer(for: .q8_1)

    private static func chosenQuantizer(for type: GGMLType) -> QuantTraits.QuantizeRow {
        if let quantize = quantizer(for: type) {
            return { x, y, count in quantize(x, y, Int32(count)) }
        }
        return QuantTraits.table[type]!.quantizeActivation!
    }

    /// The prompt kernel for weights of `type` unpacked in lane form (RowDotKernel.unpack) on
    /// `isa`, or nil where there is none (the Swift `dot` then serves) or the CPU cannot run `isa`.
    static func tilesKernel(for type: GGMLType, isa: DecodeISA? = best) -> ck_tiles_kernel? {
        guard let isa else { return nil }
        return ck_tiles_kernel_for(isa.cValue, type.rawValue)
    }
}
