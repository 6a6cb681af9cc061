/// A small open-addressing map from a 64-bit hash to an index, for look-ups on the hot path.
///
/// The keys are already well-mixed hashes (FNV-1a of a name's bytes), so no `Hasher` round is
/// spent on them, unlike `Set` and `Dictionary`. The key 0 marks an empty slot; a hash of 0
/// is stored as 1.
struct HashIndex {
    private var keys: [UInt64]
    private var values: [Int]
    private var count = 0

    /// An empty map; it allocates on the first `set`, room for `capacity` keys before it grows.
    init(capacity: Int = 8) {
        keys = []
        values = []
        reserved = capacity
    }

    /// Keys to make room for at the first `set`.
    private var reserved: Int

    @inline(__always) private static func key(_ h: UInt64) -> UInt64 { h == 0 ? 1 : h }

    @inline(__always) private func slot(of k: UInt64) -> Int {
        let mask = keys.count - 1
        var i = Int(truncatingIfNeeded: k ^ (k >> 29)) & mask
        while keys[i] != 0, keys[i] != k { i = (i + 1) & mask }
        return i
    }

    /// The index stored for `h`, if any.
    func value(for h: UInt64) -> Int? {
        guard !keys.isEmpty else { return nil }
        let i = slot(of: Self.key(h))
        return keys[i] == 0 ? nil : values[i]
    }

    /// Stores `value` for `h`, replacing what was there.
    mutating func set(_ value: Int, for h: UInt64) {
        let k = Self.key(h)
        if keys.isEmpty {
            var size = 16
            while size < reserved * 2 { size *= 2 }
            keys = Array(repeating: 0, count: size)
            values = Array(repeating: 0, count: size)
        }
        var i = slot(of: k)
        if keys[i] == 0 {
            if (count + 1) * 2 > keys.count {
                grow()
                i = slot(of: k)
            }
            keys[i] = k
            count += 1
        }
        values[i] = value
    }

    func contains(_ h: UInt64) -> Bool { value(for: h) != nil }

    var isEmpty: Bool { count == 0 }

    /// Stores `h` with the value 0 if it is not there yet.
    mutating func insert(_ h: UInt64) {
        let k = Self.key(h)
        if !keys.isEmpty, keys[slot(of: k)] == k { return }
        set(0, for: h)
    }

    private mutating func grow() {
        let oldKeys = keys
        let oldValues = values
        keys = Array(repeating: 0, count: oldKeys.count * 2)
        values = Array(repeating: 0, count: oldKeys.count * 2)
        for (k, v) in zip(oldKeys, oldValues) where k != 0 {
            let i = slot(of: k)
            keys[i] = k
            values[i] = v
        }
    }
}
