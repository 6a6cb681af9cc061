/// Why JSON bytes could not be read.
public struct JSONObjectError: Error, Equatable, CustomStringConvertible, Sendable {
    /// What was wrong.
    public var reason: String
    /// Byte offset within the input where it went wrong.
    public var offset: Int

    public init(reason: String, offset: Int) {
        self.reason = reason
        self.offset = offset
    }

    public var description: String { "\(reason) at byte \(offset)" }
}

/// A forward reader over JSON bytes: the one byte-level JSON reader of the project, under
/// ``JSONObjectReader`` (flat objects of strings) and the wire decoders of the hot message
/// types (``WireCoding``). Strings are unescaped in full (`\uXXXX` surrogate pairs joined;
/// a lone surrogate becomes U+FFFD, or is an error when `strict`).
struct JSONScanner {
    let b: UnsafeBufferPointer<UInt8>
    var i = 0
    let strict: Bool
    /// Decoded bytes of the last escaped string or key (reused).
    var scratch: [UInt8] = []

    init(_ bytes: UnsafeBufferPointer<UInt8>, strict: Bool = false) {
        b = bytes
        self.strict = strict
    }

    func error(_ reason: String, at offset: Int? = nil) -> JSONObjectError {
        JSONObjectError(reason: reason, offset: offset ?? i)
    }

    @inline(__always) mutating func skipSpace() {
        while i < b.count, b[i] == 0x20 || b[i] == 0x09 || b[i] == 0x0D || b[i] == 0x0A { i += 1 }
    }

    /// The next byte that is not white space, without consuming it.
    @inline(__always) mutating func peek() -> UInt8? {
        skipSpace()
        return i < b.count ? b[i] : nil
    }

    mutating func expect(_ c: UInt8, _ what: String) throws(JSONObjectError) {
        guard peek() == c else { throw error("expected \(what)") }
        i += 1
    }

    /// Consumes a `null` if one comes next.
    mutating func takeNull() -> Bool {
        guard peek() == 0x6E, i + 4 <= b.count, b[i + 1] == 0x75, b[i + 2] == 0x6C, b[i + 3] == 0x6C else { return false }
        i += 4
        return true
    }

    /// Walks an object's members: `member` gets each key found in `keys` (nil for any other
    /// key) and must consume the value. With `rejectingRepeats` a key of `keys` given twice is
    /// an error.
    mutating func object<Key>(
        _ keys: JSONKeys<Key>, rejectingRepeats: Bool = false,
        _ member: (inout JSONScanner, Key?) throws(JSONObjectError) -> Void
    ) throws(JSONObjectError) {
        try expect(0x7B, "'{'")
        if peek() == 0x7D { i += 1; return }
        var seen: UInt64 = 0
        while true {
            guard peek() == 0x22 else { throw error("expected a key") }
            let at = i
            let index = try withString { bytes in keys.index(of: bytes) }
            if rejectingRepeats, let index, index < 64 {
                guard seen & (1 << index) == 0 else { throw error("repeated key", at: at) }
                seen |= 1 << index
            }
            try expect(0x3A, "':'")
            skipSpace()
            try member(&self, index.map { keys[$0] })
            guard let next = peek() else { throw error("unexpected end of input") }
            i += 1
            if next == 0x2C { continue }
            if next == 0x7D { return }
            throw error("expected ',' or '}'", at: i - 1)
        }
    }

    /// Walks an array's elements: `element` must consume each one.
    mutating func array(_ element: (inout JSONScanner) throws(JSONObjectError) -> Void) throws(JSONObjectError) {
        try expect(0x5B, "'['")
        if peek() == 0x5D { i += 1; return }
        while true {
            skipSpace()
            try element(&self)
            guard let next = peek() else { throw error("unexpected end of input") }
            i += 1
            if next == 0x2C { continue }
            if next == 0x5D { return }
            throw error("expected ',' or ']'", at: i - 1)
        }
    }

    /// Reads the string at `i` and hands its unescaped bytes to `body`: the input's own bytes
    /// when it has no escapes, else bytes decoded into the reused scratch buffer.
    mutating func withString<R>(_ body: (UnsafeBufferPointer<UInt8>) throws(JSONObjectError) -> R) throws(JSONObjectError) -> R {
        guard i < b.count, b[i] == 0x22 else { throw error("expected a string") }
        let start = i + 1
        let stop = JSONBytes.firstSpecial(b, start, b.count)
        if stop < b.count, b[stop] == 0x22 {
            i = stop + 1
            return try body(UnsafeBufferPointer(rebasing: b[start..<stop]))
        }
        var decoded = scratch  // taken out (not copied: `scratch` is emptied) so `body` may not see self
        scratch = []
        decoded.removeAll(keepingCapacity: true)
        defer { scratch = decoded }
        try decodeString(into: &decoded)
        return try decoded.withUnsafeBufferPointer { (bytes) throws(JSONObjectError) in try body(bytes) }
    }

    /// Appends the unescaped bytes of the string at `i` to `out`.
    mutating func appendString(to out: inout [UInt8]) throws(JSONObjectError) {
        guard i < b.count, b[i] == 0x22 else { throw error("expected a string") }
        try decodeString(into: &out)
    }

    /// The string at `i` as a String; invalid UTF-8 is an error.
    mutating func string() throws(JSONObjectError) -> String {
        let at = i
        let text = try withString { bytes in String(validating: bytes, as: UTF8.self) }
        guard let text else { throw error("string is not valid UTF-8", at: at) }
        return text
    }

    /// A string, or nil for `null`.
    mutating func optionalString() throws(JSONObjectError) -> String? {
        takeNull() ? nil : try string()
    }

    /// A whole number written without fraction or exponent.
    mutating func int() throws(JSONObjectError) -> Int {
        skipSpace()
        let start = i
        var negative = false
        if i < b.count, b[i] == 0x2D { negative = true; i += 1 }
        var value = 0
        let digits = i
        while i < b.count, (b[i] &- 0x30) < 10 {
            let (times, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times.addingReportingOverflow(Int(b[i] &- 0x30))
            guard !o1, !o2 else { throw error("integer out of range", at: start) }
            value = sum
            i += 1
        }
        guard i > digits, b[digits] != 0x30 || i == digits + 1, i == b.count || !Self.isNumberByte(b[i]) else {
            throw error("expected an integer", at: start)
        }
        return negative ? -value : value
    }

    /// A number in JSON's grammar, read as the standard library reads its text.
    mutating func double() throws(JSONObjectError) -> Double {
        skipSpace()
        let start = i
        func digits(_ i: inout Int) -> Int {
            let from = i
            while i < b.count, (b[i] &- 0x30) < 10 { i += 1 }
            return i - from
        }
        if i < b.count, b[i] == 0x2D { i += 1 }
        let integer = i
        let count = digits(&i)
        var valid = count > 0 && (b[integer] != 0x30 || count == 1)
        if valid, i < b.count, b[i] == 0x2E {
            i += 1
            valid = digits(&i) > 0
        }
        if valid, i < b.count, b[i] == 0x65 || b[i] == 0x45 {
            i += 1
            if i < b.count, b[i] == 0x2B || b[i] == 0x2D { i += 1 }
            valid = digits(&i) > 0
        }
        guard valid, i == b.count || !Self.isNumberByte(b[i]),
              let value = Double(Substring(decoding: UnsafeBufferPointer(rebasing: b[start..<i]), as: UTF8.self)),
              value.isFinite
        else { throw error("expected a number", at: start) }
        return value
    }

    /// A number, or nil for `null`.
    mutating func optionalDouble() throws(JSONObjectError) -> Double? {
        takeNull() ? nil : try double()
    }

    /// Skips any value (string, number, literal, object, array), bounded in depth.
    mutating func skipValue(depth: Int = 0) throws(JSONObjectError) {
        guard depth < 64 else { throw error("nesting too deep") }
        guard let c = peek() else { throw error("missing value") }
        switch c {
        case 0x22:
            try withString { _ in }
        case 0x7B:
            try object(JSONKeys<Never>.none) { (scanner, _) throws(JSONObjectError) in try scanner.skipValue(depth: depth + 1) }
        case 0x5B:
            try array { (scanner) throws(JSONObjectError) in try scanner.skipValue(depth: depth + 1) }
        default:
            let start = i
            while i < b.count, Self.isNumberByte(b[i]) || ((b[i] | 0x20) &- 0x61) < 26 { i += 1 }
            guard i > start else { throw error("unexpected character") }
        }
    }

    /// Requires that only white space is left.
    mutating func end() throws(JSONObjectError) {
        skipSpace()
        guard i == b.count else { throw error("trailing characters after the value") }
    }

    @inline(__always) private static func isNumberByte(_ c: UInt8) -> Bool {
        (c &- 0x30) < 10 || c == 0x2D || c == 0x2B || c == 0x2E || c == 0x65 || c == 0x45
    }

    /// Decodes the string starting at the quote at `i` into `out`; leaves `i` after the closing quote.
    mutating func decodeString(into out: inout [UInt8]) throws(JSONObjectError) {
        let n = b.count
        i += 1
        var runStart = i
        while i < n {
            i = JSONBytes.firstSpecial(b, i, n)
            guard i < n else { break }
            let c = b[i]
            if i > runStart { out.append(contentsOf: UnsafeBufferPointer(rebasing: b[runStart..<i])) }
            if c == 0x22 { i += 1; return }
            if c < 0x20 { throw error("unescaped control character in string") }
            guard i + 1 < n else { throw error("unfinished escape") }
            let e = b[i + 1]
            i += 2
            switch e {
            case 0x22: out.append(0x22)
            case 0x5C: out.append(0x5C)
            case 0x2F: out.append(0x2F)
            case 0x62: out.append(0x08)
            case 0x66: out.append(0x0C)
            case 0x6E: out.append(0x0A)
            case 0x72: out.append(0x0D)
            case 0x74: out.append(0x09)
            case 0x75:
                var v = try hex4(i)
                i += 4
                if v >= 0xD800 && v <= 0xDBFF {
                    if i + 6 <= n, b[i] == 0x5C, b[i + 1] == 0x75, let low = try? hex4(i + 2), low >= 0xDC00, low <= 0xDFFF {
                        v = 0x10000 + ((v - 0xD800) << 10) + (low - 0xDC00)
                        i += 6
                    } else if strict {
                        throw error("unpaired surrogate in \\u escape", at: i - 6)
                    } else {
                        v = 0xFFFD
                    }
                } else if v >= 0xDC00 && v <= 0xDFFF {
                    if strict { throw error("unpaired surrogate in \\u escape", at: i - 6) }
                    v = 0xFFFD
                }
                out.appendUTF8(v)
            default:
                throw error("invalid escape '\\\(Unicode.Scalar(e))'", at: i - 2)
            }
            runStart = i
        }
        throw error("unterminated string")
    }

    private func hex4(_ at: Int) throws(JSONObjectError) -> UInt32 {
        guard at + 4 <= b.count else { throw error("short \\u escape", at: at) }
        var v: UInt32 = 0
        for k in 0..<4 {
            let c = b[at + k]
            let d: UInt32
            switch c {
            case 0x30...0x39: d = UInt32(c - 0x30)
            case 0x41...0x46: d = UInt32(c - 0x41 + 10)
            case 0x61...0x66: d = UInt32(c - 0x61 + 10)
            default: throw error("bad hex digit in \\u escape", at: at + k)
            }
            v = v << 4 | d
        }
        return v
    }
}

/// The keys a reader wants from an object, matched byte for byte, each standing for a `Key`.
struct JSONKeys<Key: Sendable>: Sendable {
    private let keys: [(bytes: [UInt8], key: Key)]

    init(_ pairs: [(name: String, key: Key)]) {
        keys = pairs.map { (Array($0.name.utf8), $0.key) }
    }

    /// The position of `bytes` among the keys, or nil.
    func index(of bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        keys.firstIndex { $0.bytes.count == bytes.count && $0.bytes.elementsEqual(bytes) }
    }

    subscript(index: Int) -> Key { keys[index].key }
}

extension JSONKeys where Key: CaseIterable & RawRepresentable, Key.RawValue == String {
    /// Every case of `Key`, by its raw value: a type's `CodingKeys` are its wire names.
    init() {
        self.init(Key.allCases.map { ($0.rawValue, $0) })
    }
}

extension JSONKeys where Key == Never {
    /// No key wanted: every member is skipped.
    static var none: JSONKeys<Never> { JSONKeys([]) }
}

/// Scanning JSON text eight bytes at a time.
public enum JSONBytes {
    /// The first `"`, `\` or control byte (< 0x20) in `b[start..<end]`, or `end`.
    @inlinable @inline(__always)
    public static func firstSpecial(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int {
        var i = start
        if let base = b.baseAddress {
            while i + 8 <= end {
                let x = ByteWords.word(base, i)
                let m = ByteWords.equalBytes(x, 0x22) | ByteWords.equalBytes(x, 0x5C) | ByteWords.bytesBelow(x, 0x20)
                if m != 0 { return i + m.trailingZeroBitCount >> 3 }
                i += 8
            }
        }
        while i < end {
            let c = b[i]
            if c == 0x22 || c == 0x5C || c < 0x20 { return i }
            i += 1
        }
        return i
    }
}
