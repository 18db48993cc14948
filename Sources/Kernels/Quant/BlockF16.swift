// f16: one value per "block", 2 bytes, IEEE binary16 bits (ggml's `ggml_fp16_t`).

import GGUF

struct BlockF16: DotBlock, ActivationBlock, ReferenceQuantizable {
    static var ggmlType: GGMLType { .f16 }

    var bits: UInt16

    func dequantize(into out: UnsafeMutablePointer<Float>) {
        out[0] = Float(fp16Bits: bits)
    }

    /// `ggml_fp32_to_fp16_row`: round to nearest even.
    init(quantizing values: UnsafePointer<Float>) {
        bits = values[0].fp16Bits
    }

    /// The CPU backend's `ggml_cpu_fp32_to_fp16` rounds the same way.
    init(quantizingActivation values: UnsafePointer<Float>) {
        self.init(quantizing: values)
    }

    func dot(_ activation: BlockF16) -> Float {
        Float(fp16Bits: bits) * Float(fp16Bits: activation.bits)
    }
}
