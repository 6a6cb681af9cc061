/// Why a JSON line could not be read.
public struct JSONLineError: Error, Equatable, CustomStringConvertible, Sendable {
    /// What was wrong.
    public var reason: String
    /// Byte offset within the line where it went wrong.
    public var offset: Int

    /// Makes an error for `reason` at byte `offset` of the line.
    public init(reason: String, offset: Int) {
        self.reason = reason
        self.offset = offset
    }

    public var description: String { "\(reason) at byte \(offset)" }
}

/// Reads one JSON line of the shape `{"id": "…", "text": "…"}` (keys in any order,
/// other keys of any type skipped), with full string escapes including `\uXXXX`
/// surrogate pairs (a lone surrogate becomes U+FFFD).
public struct JSONLineReader {
    /// The decoded `text` bytes of the last line read (reused between lines).
    public private(set) var text: [UInt8] = []
    /// The decoded `id` of the last line read.
    public private(set) var id: String = ""
    private var scratch: [UInt8] = []

    public init() {}

    /// Reads one line; on success `id` and `text` hold its values.
    public mutating func read(_ line: UnsafeBufferPointer<UInt8>) throws(JSONLineError) {
        var i = 0
        let n = line.count
        var gotID = false
        var gotText = false
        text.removeAll(keepingCapacity: true)
        skipSpace(line, &i)
        guard i < n, line[i] == 0x7B else { throw JSONLineError(reason: "expected '{'", offset: i) }
        i += 1
        skipSpace(line, &i)
        if i < n, line[i] == 0x7D { throw JSONLineError(reason: "missing \"id\" and \"text\"", offset: i) }
        while true {
            skipSpace(line, &i)
            guard i < n, line[i] == 0x22 else { throw JSONLineError(reason: "expected a key", offset: i) }
            scratch.removeAll(keepingCapacity: true)
            try decodeString(line, &i, into: &scratch)
            let key = scratch
            skipSpace(line, &i)
            guard i < n, line[i] == 0x3A else { throw JSONLineError(reason: "expected ':'", offset: i) }
            i += 1
            skipSpace(line, &i)
            if key == Self.textKey {
                guard i < n, line[i] == 0x22 else { throw JSONLineError(reason: "\"text\" must be a string", offset: i) }
                text.removeAll(keepingCapacity: true)
                try decodeString(line, &i, into: &text)
                gotText = true
            } else if key == Self.idKey {
                guard i < n, line[i] == 0x22 else { throw JSONLineError(reason: "\"id\" must be a string", offset: i) }
                scratch.removeAll(keepingCapacity: true)
                try decodeString(line, &i, into: &scratch)
                id = String(decoding: scratch, as: UTF8.self)
                gotID = true
            } else {
                try skipValue(line, &i, depth: 0)
            }
            skipSpace(line, &i)
            guard i < n else { throw JSONLineError(reason: "unexpected end of line", offset: i) }
            if line[i] == 0x2C { i += 1; continue }
            if line[i] == 0x7D { i += 1; break }
            throw JSONLineError(reason: "expected ',' or '}'", offset: i)
        }
        skipSpace(line, &i)
        guard i == n else { throw JSONLineError(reason: "trailing characters after the object", offset: i) }
        guard gotID else { throw JSONLineError(reason: "missing \"id\"", offset: 0) }
        guard gotText else { throw JSONLineError(reason: "missing \"text\"", offset: 0) }
    }

    private static let textKey: [UInt8] = Array("text".utf8)
    private static let idKey: [UInt8] = Array("id".utf8)

    @inline(__always) private func skipSpace(_ b: UnsafeBufferPointer<UInt8>, _ i: inout Int) {
        while i < b.count, b[i] == 0x20 || b[i] == 0x09 || b[i] == 0x0D || b[i] == 0x0A { i += 1 }
    }

    /// Decodes the string starting at the quote at `i`; leaves `i` after the closing quote.
    private func decodeString(_ b: UnsafeBufferPointer<UInt8>, _ i: inout Int, into out: inout [UInt8]) throws(JSONLineError) {
        let n = b.count
        i += 1
        var runStart = i
        while i < n {
            i = ByteText.firstJSONSpecial(b, i, n)
            guard i < n else { break }
            let c = b[i]
            if i > runStart { out.append(contentsOf: UnsafeBufferPointer(rebasing: b[runStart..<i])) }
            if c == 0x22 { i += 1; return }
            if c < 0x20 { throw JSONLineError(reason: "unescaped control character in string", offset: i) }
            guard i + 1 < n else { throw JSONLineError(reason: "unfinished escape", offset: i) }
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
                var v = try hex4(b, i)
                i += 4
                if v >= 0xD800 && v <= 0xDBFF {
                    if i + 6 <= n, b[i] == 0x5C, b[i + 1] == 0x75, let low = try? hex4(b, i + 2), low >= 0xDC00, low <= 0xDFFF {
                        v = 0x10000 + ((v - 0xD800) << 10) + (low - 0xDC00)
                        i += 6
                    } else {
                        v = 0xFFFD
                    }
                } else if v >= 0xDC00 && v <= 0xDFFF {
                    v = 0xFFFD
                }
                appendUTF8(v, &out)
            default:
                throw JSONLineError(reason: "invalid escape '\\\(Unicode.Scalar(e))'", offset: i - 2)
            }
            runStart = i
        }
        throw JSONLineError(reason: "unterminated string", offset: i)
    }

    private func hex4(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) throws(JSONLineError) -> UInt32 {
        guard i + 4 <= b.count else { throw JSONLineError(reason: "short \\u escape", offset: i) }
        var v: UInt32 = 0
        for k in 0..<4 {
            let c = b[i + k]
            var d: UInt32
            switch c {
            case 0x30...0x39: d = UInt32(c - 0x30)
            case 0x41...0x46: d = UInt32(c - 0x41 + 10)
            case 0x61...0x66: d = UInt32(c - 0x61 + 10)
            default: throw JSONLineError(reason: "bad hex digit in \\u escape", offset: i + k)
            }
            v = v << 4 | d
        }
        return v
    }

    private func appendUTF8(_ v: UInt32, _ out: inout [UInt8]) {
        switch v {
        case 0..<0x80: out.append(UInt8(v))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | (v >> 6))); out.append(UInt8(0x80 | (v & 0x3F)))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | (v >> 12))); out.append(UInt8(0x80 | ((v >> 6) & 0x3F))); out.append(UInt8(0x80 | (v & 0x3F)))
        default:
            out.append(UInt8(0xF0 | (v >> 18))); out.append(UInt8(0x80 | ((v >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((v >> 6) & 0x3F))); out.append(UInt8(0x80 | (v & 0x3F)))
        }
    }

    /// Skips any JSON value (string, number, literal, object, array), bounded in depth.
    private func skipValue(_ b: UnsafeBufferPointer<UInt8>, _ i: inout Int, depth: Int) throws(JSONLineError) {
        guard depth < 64 else { throw JSONLineError(reason: "nesting too deep", offset: i) }
        guard i < b.count else { throw JSONLineError(reason: "missing value", offset: i) }
        var sink: [UInt8] = []
        switch b[i] {
        case 0x22:
            try decodeString(b, &i, into: &sink)
        case 0x7B, 0x5B:
            let close: UInt8 = b[i] == 0x7B ? 0x7D : 0x5D
            let isObject = b[i] == 0x7B
            i += 1
            skipSpace(b, &i)
            if i < b.count, b[i] == close { i += 1; return }
            while true {
                skipSpace(b, &i)
                if isObject {
                    guard i < b.count, b[i] == 0x22 else { throw JSONLineError(reason: "expected a key", offset: i) }
                    try decodeString(b, &i, into: &sink)
                    skipSpace(b, &i)
                    guard i < b.count, b[i] == 0x3A else { throw JSONLineError(reason: "expected ':'", offset: i) }
                    i += 1
                    skipSpace(b, &i)
                }
                try skipValue(b, &i, depth: depth + 1)
                skipSpace(b, &i)
                guard i < b.count else { throw JSONLineError(reason: "unexpected end of line", offset: i) }
                if b[i] == 0x2C { i += 1; continue }
                if b[i] == close { i += 1; return }
                throw JSONLineError(reason: "expected ',' or a closing bracket", offset: i)
            }
        default:
            let s = i
            while i < b.count, b[i] == 0x2D || b[i] == 0x2B || b[i] == 0x2E || ByteText.isASCIIAlnum(b[i]) { i += 1 }
            guard i > s else { throw JSONLineError(reason: "unexpected character", offset: i) }
        }
    }
}
