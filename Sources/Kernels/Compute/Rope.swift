#if canImport(Glibc)
import Glibc
#endif

/// Rotary position embedding as ggml's `rope_ext` computes it, YaRN included. The angle for
/// pair i at position p is p·base^(−2i/n) built by repeated multiplication in float, exactly as
/// ggml's cache does, so positions and rounding agree with llama.cpp.
public struct RopeConfig: Sendable, Equatable {
    /// Which elements form a rotated pair.
    public enum Mode: Sendable, Equatable {
        /// Adjacent pairs (x[2i], x[2i+1]): llama, deepseek2 (`LLAMA_ROPE_TYPE_NORM`).
        case normal
        /// Halves (x[i], x[i + n/2]): qwen2, gemma3 (`LLAMA_ROPE_TYPE_NEOX`).
        case neox
    }

    public var mode: Mode
    /// Rotated dimensions per head (`rope.dimension_count`); the rest pass through.
    public var dimensions: Int
    public var freqBase: Float
    public var freqScale: Float = 1
    /// YaRN: 0 disables the ramp between interpolation and extrapolation.
    public var extFactor: Float = 0
    public var attnFactor: Float = 1
    public var betaFast: Float = 32
    public var betaSlow: Float = 1
    public var originalContext: Int = 0

    public init(mode: Mode, dimensions: Int, freqBase: Float) {
        self.mode = mode
        self.dimensions = dimensions
        self.freqBase = freqBase
    }

    /// YaRN's correction range (ggml_rope_yarn_corr_dims).
    var correctionDims: (Float, Float) {
        func corrDim(_ rotations: Float) -> Float {
            Float(dimensions) * logf(Float(originalContext) / (rotations * 2 * Float.pi)) / (2 * logf(freqBase))
        }
        let start = floorf(corrDim(betaFast)), end = ceilf(corrDim(betaSlow))
        return (max(0, start), min(Float(dimensions - 1), end))
    }

    /// Fills `cache` (2 × dimensions/2 floats: cos, sin per pair) for position `position`.
    public func fillCache(position: Int, _ cache: UnsafeMutablePointer<Float>) {
        let thetaScale = powf(freqBase, -2.0 / Float(dimensions))
        let (low, high) = correctionDims
        var theta = Float(position)
        for i0 in stride(from: 0, to: dimensions, by: 2) {
            let interpolated = freqScale * theta
            var angle = interpolated
            var mscale = attnFactor
            if extFactor != 0 {
                let y = (Float(i0 / 2) - low) / max(0.001, high - low)
                let rampMix = (1 - min(1, max(0, y))) * extFactor
                angle = interpolated * (1 - rampMix) + theta * rampMix
                mscale *= 1 + 0.1 * logf(1 / freqScale)
            }
            cache[i0] = cosf(angle) * mscale
            cache[i0 + 1] = sinf(angle) * mscale
            theta *= thetaScale
        }
    }

    /// Rotates `heads` vectors of `headDim` floats in place, using a cache from `fillCache`.
    public func apply(_ x: UnsafeMutablePointer<Float>, heads: Int, headDim: Int, cache: UnsafePointer<Float>) {
        let half = dimensions / 2
        for h in 0..<heads {
            let v = x + h * headDim
            for i in 0..<half {
                let c = cache[2 * i], s = cache[2 * i + 1]
                let (a, b) = mode == .normal ? (2 * i, 2 * i + 1) : (i, i + half)
                let x0 = v[a], x1 = v[b]
                v[a] = x0 * c - x1 * s
                v[b] = x0 * s + x1 * c
            }
        }
    }
}
