import Crypto
import Foundation

/// Article identity: the same page published twice is the same article.
///
/// The id is the first 32 hex characters of the SHA-256 of the canonical URL when
/// one is given, else of the body after Unicode NFC and whitespace collapsing.
public enum ArticleID {
    public static func derive(url: String?, body: String) -> String {
        if let url, let canonical = canonicalURL(url) {
            return hash(canonical)
        }
        return hash(bytes: canonicalBodyBytes(body))
    }

    /// Lower-cased scheme and host, no fragment, no trailing slash on the path.
    /// Returns nil for a string that is not an absolute URL.
    public static func canonicalURL(_ raw: String) -> String? {
        let trimmed = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard var parts = URLComponents(string: trimmed), let scheme = parts.scheme, let host = parts.host,
              !host.isEmpty
        else { return nil }
        parts.scheme = scheme.lowercased()
        parts.host = host.lowercased()
        parts.fragment = nil
        if parts.path.count > 1, parts.path.hasSuffix("/") {
            parts.path.removeLast()
        }
        return parts.string
    }

    /// NFC-normalised text with every run of whitespace turned into one space, trimmed.
    public static func canonicalBody(_ body: String) -> String {
        String(decoding: canonicalBodyBytes(body), as: UTF8.self)
    }

    /// ``canonicalBody(_:)`` as UTF-8 bytes, in one pass over the scalars; text already in
    /// NFC (see ``isKnownNFC(_:)``) skips Foundation's normalisation.
    static func canonicalBodyBytes(_ body: String) -> [UInt8] {
        let text = isKnownNFC(body) ? body : body.precomposedStringWithCanonicalMapping
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            let value = scalar.value
            let isSpace = value < 0x80 ? (value == 0x20 || (0x09...0x0D).contains(value)) : scalar.properties.isWhitespace
            if isSpace {
                pendingSpace = !out.isEmpty
                continue
            }
            if pendingSpace { out.append(0x20) }
            pendingSpace = false
            out.appendUTF8(value)
        }
        return out
    }

    /// Whether normalising `text` to NFC certainly leaves it unchanged: every scalar lies
    /// below U+0300 (where every code point is NFC_Quick_Check=Yes and a starter) or in the
    /// General Punctuation and currency blocks after U+2001 (likewise, and nothing there
    /// composes). A combining mark, a Hangul jamo or any other scalar sends the text through
    /// Foundation's normalisation instead.
    static func isKnownNFC(_ text: String) -> Bool {
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if value < 0x300 || (0x2002...0x20C0).contains(value) { continue }
            return false
        }
        return true
    }

    private static func hash(_ text: String) -> String {
        hash(bytes: Array(text.utf8))
    }

    private static func hash(bytes: [UInt8]) -> String {
        let digest = SHA256.hash(data: bytes)
        let hex = digest.map { byte -> String in
            let h = String(byte, radix: 16)
            return byte < 16 ? "0" + h : h
        }.joined()
        return String(hex.prefix(32))
    }
}
