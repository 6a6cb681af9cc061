/// C1 control characters (U+0080…U+009F) as pages mean them. Old pages write `&#146;` for a
/// closing quote: a reference to the windows-1252 byte, which HTML reads as that character
/// and libxml2 leaves as the control U+0092. The five values windows-1252 leaves undefined,
/// and C1 controls in general, are no text and are dropped.
enum C1Controls {
    /// The UTF-8 of what U+0080 + `index` stands for, or nil for a dropped control.
    static let windows1252: [[UInt8]?] = [
        "€", nil, "‚", "ƒ", "„", "…", "†", "‡", "ˆ", "‰", "Š", "‹", "Œ", nil, "Ž", nil,
        nil, "‘", "’", "“", "”", "•", "–", "—", "˜", "™", "š", "›", "œ", nil, "ž", "Ÿ",
    ].map { $0.map { Array($0.utf8) } }

    /// Whether the UTF-8 holds a C1 control (`C2 80`…`C2 9F`).
    static func occur(in text: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        while i + 1 < text.count {
            if text[i] == 0xC2, (text[i + 1] &- 0x80) < 0x20 { return true }
            i += 1
        }
        return false
    }

    /// The UTF-8 with its C1 controls read as windows-1252.
    static func replaced(in text: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.count + 8)
        var i = 0
        while i < text.count {
            if text[i] == 0xC2, i + 1 < text.count, (text[i + 1] &- 0x80) < 0x20 {
                if let bytes = windows1252[Int(text[i + 1] - 0x80)] { out += bytes }
                i += 2
                continue
            }
            out.append(text[i])
            i += 1
        }
        return out
    }

    /// A string with its C1 controls read as windows-1252.
    static func replaced(in s: String) -> String {
        guard s.unicodeScalars.contains(where: { (0x80...0x9F).contains($0.value) }) else { return s }
        var out = String.UnicodeScalarView()
        for scalar in s.unicodeScalars {
            if (0x80...0x9F).contains(scalar.value) {
                if let bytes = windows1252[Int(scalar.value - 0x80)] { out.append(contentsOf: String(decoding: bytes, as: UTF8.self).unicodeScalars) }
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }
}
