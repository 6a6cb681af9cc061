/// Strict UTF-8 checking that says where the first bad byte is.
public enum UTF8Validation {
    /// The byte offset of the first byte that does not start or continue a well-formed
    /// UTF-8 sequence (overlong forms, surrogates and values above U+10FFFF included),
    /// or nil when all of `bytes` is valid UTF-8.
    public static func firstInvalidOffset(in bytes: some Collection<UInt8>) -> Int? {
        var iterator = bytes.makeIterator()
        var offset = 0
        while let lead = iterator.next() {
            let start = offset
            offset += 1
            if lead < 0x80 { continue }
            let length: Int
            var lowest: UInt8 = 0x80, highest: UInt8 = 0xBF  // allowed range of the second byte
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; lowest = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; highest = 0x9F  // no UTF-16 surrogates
            case 0xF0: length = 4; lowest = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; highest = 0x8F  // nothing above U+10FFFF
            default: return start
            }
            for index in 1..<length {
                guard let next = iterator.next() else { return start }
                offset += 1
                let range: ClosedRange<UInt8> = index == 1 ? lowest...highest : 0x80...0xBF
                guard range.contains(next) else { return start }
            }
        }
        return nil
    }
}
