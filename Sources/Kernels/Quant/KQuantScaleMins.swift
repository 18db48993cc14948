// The 12-byte field in which q4_K and q5_K keep eight 6-bit sub-block scales and eight 6-bit
// mins (ggml's `get_scale_min_k4` and the packing in `quantize_row_q4_K_ref`):
//   bytes 0..<4   scale j (j < 4) in the low 6 bits; top 2 bits of scale j+4
//   bytes 4..<8   min j (j < 4) in the low 6 bits; top 2 bits of min j+4
//   bytes 8..<12  low 4 bits of scale j+4 (low nibble) and of min j+4 (high nibble)

/// Sub-block `j`'s (0..<8) 6-bit scale and min.
func kScaleMin(_ packed: InlineArray<12, UInt8>, _ j: Int) -> (scale: UInt8, min: UInt8) {
    if j < 4 {
        return (packed[j] & 63, packed[j + 4] & 63)
    }
    let scale = (packed[j + 4] & 0x0F) | (packed[j - 4] >> 6) << 4
    let min = (packed[j + 4] >> 4) | (packed[j] >> 6) << 4
    return (scale, min)
}

/// Packs eight 6-bit scales and mins (each at most 63).
func packKScaleMins(scales: InlineArray<8, UInt8>, mins: InlineArray<8, UInt8>) -> InlineArray<12, UInt8> {
    var packed = InlineArray<12, UInt8>(repeating: 0)
    for j in 0..<4 {
        packed[j] = scales[j]
        packed[j + 4] = mins[j]
    }
    for j in 4..<8 {
        packed[j + 4] = (scales[j] & 0x0F) | (mins[j] & 0x0F) << 4
        packed[j - 4] |= (scales[j] >> 4) << 6
        packed[j] |= (mins[j] >> 4) << 6
    }
    return packed
}
