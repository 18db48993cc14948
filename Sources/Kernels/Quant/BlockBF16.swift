// bf16: one value per "block", 2 bytes, the top half of a binary32 (ggml's `ggml_bf16_t`).

import GGUF

struct BlockBF16: DotBlock, ActivationBlock, ReferenceQuantizable {
    static var ggmlType: GGMLType { .bf16 }

    var bits: UInt16

    func dequantize(into out: UnsafeMutablePointer<Float>) {
        out[0] = Float(bf16Bits: bits)
    }

    /// `ggml_fp32_to_bf16_row_ref`: round to nearest even, NaN kept quiet.
    init(quantizing values: UnsafePointer<Float>) {
        bits = values[0].bf16Bits
    }

    /// The CPU backend's `ggml_cpu_fp32_to_bf16` is the same scalar conversion.
    init(quantizingActivation values: UnsafePointer<Float>) {
        self.init(quantizing: values)
    }

    func dot(_ activation: BlockBF16) -> Float {
        Float(bf16Bits: bits) * Float(bf16Bits: activation.bits)
    }
}
