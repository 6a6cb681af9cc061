/// Reads the string fields of one JSON object straight from its bytes: the article forms
/// (`{"id", "text"}` lines for `quotewire parse`, `{"text"|"html", "url", …}` for publishing)
/// are flat objects of strings, and Foundation's `JSONDecoder` spent about 200 µs on each
/// 4 KB line, most of a bulk publish's CPU.
///
/// Keys are matched byte for byte; other keys are skipped whatever their value (bounded in
/// depth); a wanted key holding `null` counts as absent, any other non-string is an error; a
/// repeated key keeps its last value. A UTF-8 byte order mark before the object is skipped.
/// Strings are unescaped by ``JSONScanner``; the input is not otherwise checked as UTF-8.
public struct JSONObjectReader {
    private let keys: JSONKeys<Int>
    private let names: [String]
    private let strict: Bool
    /// The decoded bytes of each wanted key's value, in the order the keys were given
    /// (empty when absent: see ``has(_:)``). Reused between reads.
    public private(set) var values: [[UInt8]]
    private var present: [Bool]

    /// A reader for the string fields named `keys`; `rejectingLoneSurrogates` makes a `\uD800`
    /// without its pair an error instead of U+FFFD.
    public init(keys: [String], rejectingLoneSurrogates: Bool = false) {
        self.names = keys
        self.keys = JSONKeys(keys.enumerated().map { ($1, $0) })
        strict = rejectingLoneSurrogates
        values = Array(repeating: [], count: keys.count)
        present = Array(repeating: false, count: keys.count)
    }

    /// Whether the last object read had key number `index` as a string.
    public func has(_ index: Int) -> Bool { present[index] }

    /// Key number `index` of the last object read as a String (invalid UTF-8 repaired), or nil.
    public func string(_ index: Int) -> String? {
        present[index] ? String(decoding: values[index], as: UTF8.self) : nil
    }

    /// Reads one object (surrounding white space allowed, nothing else after it).
    public mutating func read(_ bytes: UnsafeBufferPointer<UInt8>) throws(JSONObjectError) {
        for k in values.indices {
            values[k].removeAll(keepingCapacity: true)
            present[k] = false
        }
        var scanner = JSONScanner(bytes, strict: strict)
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { scanner.i = 3 }
        var values = self.values  // taken out so the member closure does not capture self
        self.values = []
        defer { self.values = values }
        var present = self.present
        let names = self.names
        try scanner.object(keys) { (scanner, index) throws(JSONObjectError) in
            guard let k = index else { return try scanner.skipValue() }
            if scanner.takeNull() {
                values[k].removeAll(keepingCapacity: true)
                present[k] = false
            } else if scanner.peek() == 0x22 {
                values[k].removeAll(keepingCapacity: true)
                try scanner.appendString(to: &values[k])
                present[k] = true
            } else {
                throw scanner.error("\"\(names[k])\" must be a string")
            }
        }
        self.present = present
        try scanner.end()
    }
}
