/// Compact JSON with every object's keys in byte order, everything else (string escapes,
/// number spellings) exactly as written: two encoders that differ only in key order give
/// the same canonical form.
enum JSONCanonicalForm {
    /// The canonical form, or nil when `json` is not one well-formed JSON value.
    static func of(_ json: [UInt8]) -> [UInt8]? {
        json.withUnsafeBufferPointer { b in
            var reader = Reader(b)
            var out: [UInt8] = []
            out.reserveCapacity(b.count)
            guard reader.value(&out, depth: 0) else { return nil }
            reader.skipSpace()
            return reader.i == b.count ? out : nil
        }
    }

    /// A recursive-descent reader over the bytes; `i` is the next byte.
    private struct Reader {
        let b: UnsafeBufferPointer<UInt8>
        var i = 0

        init(_ b: UnsafeBufferPointer<UInt8>) { self.b = b }

        func at(_ c: UInt8) -> Bool { i < b.count && b[i] == c }

        mutating func skipSpace() {
            while i < b.count, b[i] == 0x20 || b[i] == 0x0A || b[i] == 0x0D || b[i] == 0x09 { i += 1 }
        }

        mutating func value(_ out: inout [UInt8], depth: Int) -> Bool {
            skipSpace()
            guard depth < 64, i < b.count else { return false }
            switch b[i] {
            case 0x7B: return object(&out, depth: depth)
            case 0x5B: return array(&out, depth: depth)
            case 0x22: return string(&out)
            default: return scalar(&out)
            }
        }

        /// `{` members `}`, written with the members sorted by their raw key bytes.
        mutating func object(_ out: inout [UInt8], depth: Int) -> Bool {
            i += 1
            var members: [(key: Range<Int>, value: [UInt8])] = []
            skipSpace()
            if at(0x7D) {
                i += 1
            } else {
                while true {
                    skipSpace()
                    let keyStart = i
                    var ignored: [UInt8] = []
                    guard at(0x22), string(&ignored) else { return false }
                    let key = keyStart..<i
                    skipSpace()
                    guard at(0x3A) else { return false }
                    i += 1
                    var member: [UInt8] = []
                    guard value(&member, depth: depth + 1) else { return false }
                    members.append((key, member))
                    skipSpace()
                    if at(0x2C) { i += 1; continue }
                    if at(0x7D) { i += 1; break }
                    return false
                }
            }
            let b = self.b
            members.sort { b[$0.key].lexicographicallyPrecedes(b[$1.key]) }
            out.append(0x7B)
            for (n, m) in members.enumerated() {
                if n > 0 { out.append(0x2C) }
                out.append(contentsOf: b[m.key])
                out.append(0x3A)
                out.append(contentsOf: m.value)
            }
            out.append(0x7D)
            return true
        }

        mutating func array(_ out: inout [UInt8], depth: Int) -> Bool {
            i += 1
            out.append(0x5B)
            skipSpace()
            if at(0x5D) {
                i += 1
                out.append(0x5D)
                return true
            }
            while true {
                guard value(&out, depth: depth + 1) else { return false }
                skipSpace()
                if at(0x2C) { i += 1; out.append(0x2C); continue }
                if at(0x5D) { i += 1; out.append(0x5D); return true }
                return false
            }
        }

        /// A string literal copied as written, escapes included.
        mutating func string(_ out: inout [UInt8]) -> Bool {
            let start = i
            i += 1
            while i < b.count {
                let c = b[i]
                if c == 0x22 {
                    i += 1
                    out.append(contentsOf: b[start..<i])
                    return true
                }
                i += c == 0x5C ? 2 : 1
            }
            return false
        }

        /// A number, `true`, `false` or `null`, copied as written.
        mutating func scalar(_ out: inout [UInt8]) -> Bool {
            let start = i
            while i < b.count {
                let c = b[i]
                if c == 0x2C || c == 0x7D || c == 0x5D || c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { break }
                i += 1
            }
            guard i > start else { return false }
            out.append(contentsOf: b[start..<i])
            return true
        }
    }
}
