// f32: one value per "block", 4 bytes, a little-endian IEEE binary32 (ggml's `float`).

import GGUF

struct BlockF32: DotBlock, ActivationBlock {
    static var ggmlType: GGMLType { .f32 }

    var value: Float

    func dequantize(into out: UnsafeMutablePointer<Float>) {
        out[0] = value
    }

    init(quantizingActivation values: UnsafePointer<Float>) {
        value = values[0]
    }

    func dot(_ activation: BlockF32) -> Float {
        value * activation.value
    }
}
