/// Byte tests eight bytes at a time, for the byte scanners of every module (the parser's
/// tokenizer and quote scanner, the JSON reader and writer, the index's snippet marks).
public enum ByteWords {
    // Computed, not stored: an inlined read of a stored static of another module goes through
    // its lazy initialiser on every call.
    @inlinable public static var lowBits: UInt64 { 0x0101_0101_0101_0101 }
    @inlinable public static var highBits: UInt64 { 0x8080_8080_8080_8080 }

    /// High bit set in each byte of `x` that is zero. Exact up to the first zero byte (borrows
    /// can only mark bytes after it), which is all the searches use.
    @inlinable @inline(__always)
    public static func zeroBytes(_ x: UInt64) -> UInt64 { (x &- lowBits) & ~x & highBits }

    /// High bit set in each byte of `x` equal to `c` (exact up to the first one).
    @inlinable @inline(__always)
    public static func equalBytes(_ x: UInt64, _ c: UInt8) -> UInt64 { zeroBytes(x ^ (lowBits &* UInt64(c))) }

    /// High bit set in each byte of `x` below `c` (at most 0x80; exact up to the first one).
    @inlinable @inline(__always)
    public static func bytesBelow(_ x: UInt64, _ c: UInt8) -> UInt64 { (x &- lowBits &* UInt64(c)) & ~x & highBits }

    /// The little-endian word at `base + i`.
    @inlinable @inline(__always)
    public static func word(_ base: UnsafePointer<UInt8>, _ i: Int) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self))
    }
}
