import Kernels
import Testing

@Suite("f16 and bf16 conversions")
struct HalfFloatTests {
    static let halfCases: [(Float, UInt16)] = [
        (1, 0x3C00),
        (-0.0, 0x8000),
        (65504, 0x7BFF),                                  // largest half
        (Float(bitPattern: 0x477F_EFFF), 0x7BFF),         // just below the tie with infinity
        (65520, 0x7C00),                                  // the tie rounds to even: infinity
        (-65520, 0xFC00),
        (1e10, 0x7C00),
        (.infinity, 0x7C00),
        (0x1p-14, 0x0400),                                // smallest normal
        (0x1p-24, 0x0001),                                // smallest subnormal
        (0x1p-25, 0x0000),                                // half of it: tie to even zero
        (Float(bitPattern: 0x3300_0001), 0x0001),         // just above that tie
        (0x1.8p-24, 0x0002),                              // 1.5 ulp: tie to even 2
        (0x1p-26, 0x0000),
        (1 + 0x1p-11, 0x3C00),                            // tie between 1 and 1+2^-10 → 1
        (1 + 0x1.8p-10, 0x3C02),                          // tie between 1+2^-10 and 1+2^-9 → even
        (1 + 0x1p-11 + 0x1p-23, 0x3C01),                  // just above a tie
    ]

    @Test("float32 → f16 rounds to nearest even, keeps subnormals, overflows to infinity", arguments: halfCases)
    func floatToHalf(value: Float, bits: UInt16) {
        #expect(value.fp16Bits == bits, "\(value) → 0x\(String(value.fp16Bits, radix: 16))")
    }

    @Test("NaN stays a quiet NaN with its sign in f16")
    func halfNaN() {
        for (input, sign) in [(UInt32(0x7FC0_0000), UInt16(0)), (0x7F80_0001, 0), (0xFFC1_2345, 0x8000)] {
            let bits = Float(bitPattern: input).fp16Bits
            #expect(bits & 0x8000 == sign && bits & 0x7E00 == 0x7E00, "0x\(String(input, radix: 16))")
        }
    }

    @Test("Every f16 value survives f16 → float32 → f16")
    func halfRoundTrip() {
        for bits in UInt16.min...UInt16.max {
            let value = Float(fp16Bits: bits)
            if value.isNaN {
                #expect(Float(fp16Bits: bits | 0x0200).fp16Bits == bits | 0x0200)
            } else {
                #expect(value.fp16Bits == bits)
            }
        }
        #expect(Float(fp16Bits: 0x0001) == 0x1p-24)
        #expect(Float(fp16Bits: 0xFC00) == -.infinity)
        #expect(Float(fp16Bits: 0x8000).bitPattern == 0x8000_0000)
    }

    @Test("float32 → f16 agrees with an integer model of round-to-nearest-even")
    func halfMatchesIntegerModel() {
        var mismatches: [UInt32] = []
        for bits in stride(from: UInt32(0), to: UInt32.max - 7919, by: 7919) {
            let value = Float(bitPattern: bits)
            if !value.isNaN && value.fp16Bits != referenceHalfBits(bits) { mismatches.append(bits) }
        }
        #expect(mismatches.isEmpty, "first: 0x\(String(mismatches.first ?? 0, radix: 16))")
    }

    static let bf16Cases: [(UInt32, UInt16)] = [
        (0x3F80_0000, 0x3F80),
        (0x3F80_8000, 0x3F80),   // tie, even below
        (0x3F81_8000, 0x3F82),   // tie, even above
        (0x3F80_8001, 0x3F81),   // above the tie
        (0x3F80_7FFF, 0x3F80),   // below the tie
        (0x7F7F_FFFF, 0x7F80),   // the largest float rounds to infinity
        (0x7F80_0000, 0x7F80),
        (0x8000_0000, 0x8000),
        (0x0001_0000, 0x0001),   // subnormals are kept
        (0x0000_8000, 0x0000),   // tie to even zero
        (0x7F80_0001, 0x7FC0),   // signalling NaN made quiet
        (0xFF80_0001, 0xFFC0),
        (0x7FA1_2345, 0x7FE1),   // payload kept, quiet bit set
    ]

    @Test("float32 → bf16 rounds to nearest even and keeps NaN quiet", arguments: bf16Cases)
    func floatToBF16(input: UInt32, bits: UInt16) {
        #expect(Float(bitPattern: input).bf16Bits == bits)
    }

    @Test("bf16 → float32 is the top half of the bits")
    func bf16ToFloat() {
        for bits in stride(from: UInt16(0), to: UInt16.max, by: 251) {
            #expect(Float(bf16Bits: bits).bitPattern == UInt32(bits) << 16)
        }
    }
}

/// IEEE round-to-nearest-even of a non-NaN float32 to binary16, in integer arithmetic only.
private func referenceHalfBits(_ bits: UInt32) -> UInt16 {
    let sign = UInt16(bits >> 16) & 0x8000
    let biased = Int(bits >> 23 & 0xFF)
    if biased == 0xFF { return sign | 0x7C00 }
    let significand = biased == 0 ? bits & 0x7F_FFFF : bits & 0x7F_FFFF | 0x80_0000
    let exponent = biased == 0 ? -126 : biased - 127  // value = significand · 2^(exponent − 23)
    if exponent > 15 { return sign | 0x7C00 }
    // The result counts in units of 2^(max(exponent, −14) − 10); find the shift to that unit.
    let unitExponent = max(exponent, -14)
    let shift = 13 + unitExponent - exponent
    guard shift < 32 else { return sign }
    var units = significand >> UInt32(shift)
    let remainder = significand & (1 << UInt32(shift) - 1)
    let half = UInt32(1) << UInt32(shift - 1)
    if remainder > half || (remainder == half && units & 1 == 1) { units += 1 }
    let magnitude = UInt32(unitExponent + 14) << 10 + units  // a carry moves into the exponent
    return sign | UInt16(min(magnitude, 0x7C00))
}
