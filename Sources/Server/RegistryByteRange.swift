/// An HTTP `Range: bytes=…` request header resolved against a blob's size (RFC 9110 §14.1.2):
/// `a-b`, `a-` and the suffix form `-n`. Several ranges are not served as multipart: the whole
/// blob answers them, which the RFC allows.
enum RegistryByteRange: Equatable {
    /// No usable range: send the whole blob with 200.
    case whole
    /// Send these bytes with 206.
    case partial(ClosedRange<Int>)
    /// Nothing of the blob lies in the range: 416 with `Content-Range: bytes */<size>`.
    case unsatisfiable

    init(header: String?, size: Int) {
        guard let header, header.hasPrefix("bytes="), !header.contains(",") else { self = .whole; return }
        let spec = header.dropFirst(6)
        guard let dash = spec.firstIndex(of: "-") else { self = .whole; return }
        let first = spec[..<dash].trimmingPrefix(" ")
        let last = spec[spec.index(after: dash)...]
        if first.isEmpty {
            guard let suffix = Int(last), suffix >= 0 else { self = .whole; return }
            self = suffix == 0 || size == 0 ? .unsatisfiable : .partial(max(0, size - suffix)...(size - 1))
            return
        }
        guard let start = Int(first), start >= 0 else { self = .whole; return }
        let end: Int
        if last.isEmpty {
            end = size - 1
        } else {
            guard let e = Int(last), e >= start else { self = .whole; return }
            end = min(e, size - 1)
        }
        self = start >= size ? .unsatisfiable : .partial(start...end)
    }
}
