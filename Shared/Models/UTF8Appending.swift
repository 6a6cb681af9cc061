extension Array where Element == UInt8 {
    /// Appends the UTF-8 encoding of the scalar value `value` (the caller has checked it is one).
    @inline(__always)
    mutating func appendUTF8(_ value: UInt32) {
        switch value {
        case ..<0x80:
            append(UInt8(truncatingIfNeeded: value))
        case ..<0x800:
            append(0xC0 | UInt8(truncatingIfNeeded: value >> 6))
            append(0x80 | UInt8(truncatingIfNeeded: value & 0x3F))
        case ..<0x10000:
            append(0xE0 | UInt8(truncatingIfNeeded: value >> 12))
            append(0x80 | UInt8(truncatingIfNeeded: (value >> 6) & 0x3F))
            append(0x80 | UInt8(truncatingIfNeeded: value & 0x3F))
        default:
            append(0xF0 | UInt8(truncatingIfNeeded: value >> 18))
            append(0x80 | UInt8(truncatingIfNeeded: (value >> 12) & 0x3F))
            append(0x80 | UInt8(truncatingIfNeeded: (value >> 6) & 0x3F))
            append(0x80 | UInt8(truncatingIfNeeded: value & 0x3F))
        }
    }
}
