import QuotewireIndex

/// The pages' addresses, percent-encoded so that any name or id makes one path segment or one
/// query value: only the unreserved characters of RFC 3986 pass as they are.
enum Links {
    static func search(_ query: String, sort: SearchSort? = nil, cursor: String? = nil, limit: Int? = nil) -> String {
        "/search?" + encodeQuery([("q", query), ("sort", sort?.rawValue), ("cursor", cursor), ("limit", limit.map(String.init))])
    }

    static func export(_ query: String, sort: SearchSort?, format: String) -> String {
        "/search.\(format)?" + encodeQuery([("q", query), ("sort", sort?.rawValue)])
    }

    static func speaker(_ name: String, cursor: String? = nil) -> String {
        "/speakers/" + segment(name) + (cursor.map { "?" + encodeQuery([("cursor", $0)]) } ?? "")
    }

    static func article(_ id: String) -> String { "/articles/" + segment(id) }
    static func quotation(_ id: String) -> String { "/quotations/" + segment(id) }
    static func ticker(_ symbol: String) -> String { "/tickers/" + segment(symbol) }

    /// `name=value` pairs joined with `&`, the absent ones left out.
    static func encodeQuery(_ pairs: [(String, String?)]) -> String {
        pairs.compactMap { name, value in value.map { "\(name)=\(segment($0))" } }.joined(separator: "&")
    }

    /// `text` with every byte but `A-Z a-z 0-9 - . _ ~` percent-encoded (UTF-8).
    static func segment(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                 UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += "%" + hex(byte >> 4) + hex(byte & 0xF)
            }
        }
        return out
    }

    private static func hex(_ nibble: UInt8) -> String {
        String(UnicodeScalar(nibble < 10 ? nibble + 48 : nibble + 55))
    }

    /// Where to go after signing in: a path of this site (`/…`, not `//…`, no backslash or
    /// control character), else the search page. Keeps the sign-in from sending anyone elsewhere.
    static func localTarget(_ text: String?) -> String {
        guard let text, text.hasPrefix("/"), !text.hasPrefix("//"), text.utf8.count <= 2_048,
              !text.unicodeScalars.contains(where: { $0 == "\\" || $0.value < 0x20 || $0.value == 0x7F })
        else { return "/" }
        return text
    }
}
