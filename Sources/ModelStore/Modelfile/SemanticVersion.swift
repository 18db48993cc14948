/// The validity rule of golang.org/x/mod/semver (without its leading "v"): `MAJOR[.MINOR[.PATCH]]`,
/// numbers without leading zeros, and only after a full `MAJOR.MINOR.PATCH` an optional
/// `-prerelease` and `+build` of dot-separated `[0-9A-Za-z-]` identifiers.
enum SemanticVersion {
    static func isValid(_ text: String) -> Bool {
        var rest = Substring(text)
        var build: Substring?
        var prerelease: Substring?
        if let plus = rest.firstIndex(of: "+") {
            build = rest[rest.index(after: plus)...]
            rest = rest[..<plus]
        }
        if let dash = rest.firstIndex(of: "-") {
            prerelease = rest[rest.index(after: dash)...]
            rest = rest[..<dash]
        }
        let numbers = rest.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...3).contains(numbers.count), numbers.allSatisfy(isNumber) else { return false }
        if prerelease != nil || build != nil, numbers.count != 3 { return false }
        if let prerelease, !identifiers(prerelease, numericWithoutLeadingZeros: true) { return false }
        if let build, !identifiers(build, numericWithoutLeadingZeros: false) { return false }
        return true
    }

    private static func isNumber(_ s: Substring) -> Bool {
        !s.isEmpty && s.allSatisfy { $0.isASCII && $0.isNumber } && (s == "0" || s.first != "0")
    }

    private static func identifiers(_ s: Substring, numericWithoutLeadingZeros: Bool) -> Bool {
        s.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { id in
            guard !id.isEmpty, id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else { return false }
            let numeric = id.allSatisfy { $0.isNumber }
            return !(numericWithoutLeadingZeros && numeric && id.count > 1 && id.first == "0")
        }
    }
}
