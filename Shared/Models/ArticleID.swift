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
        return hash(canonicalBody(body))
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
        let nfc = body.precomposedStringWithCanonicalMapping
        var out = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in nfc.unicodeScalars {
            if scalar.properties.isWhitespace {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(" ") }
                pendingSpace = false
                out.append(scalar)
            }
        }
        return String(out)
    }

    private static func hash(_ text: String) -> String {
        let digest = SHA256.hash(data: Data(text.utf8))
        let hex = digest.map { byte -> String in
            let h = String(byte, radix: 16)
            return byte < 16 ? "0" + h : h
        }.joined()
        return String(hex.prefix(32))
    }
}
