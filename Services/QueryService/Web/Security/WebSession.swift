import Crypto
import Foundation

/// The session a sign-in opens: a cookie holding an expiry time and an HMAC-SHA256 of it, keyed
/// by a key derived from the query token. The cookie carries no token, so one read from a
/// browser does not give the API's bearer token away; changing the token ends every session;
/// and any node with the same token accepts it.
///
/// The cookie is `HttpOnly` (no script reads it) and `SameSite=Strict` (no other site's page
/// sends it along), with a `Path` of `/` and a lifetime of ``lifetime``.
struct WebSession: Sendable {
    static let cookieName = "quotewire_session"
    /// How long a session lasts: 12 hours.
    static let lifetime: TimeInterval = 12 * 3_600
    private static let version = "s1"

    /// The HMAC key's bytes (Crypto's key type is not `Sendable`).
    private let keyBytes: [UInt8]
    private var key: SymmetricKey { SymmetricKey(data: keyBytes) }

    init(token: String) {
        keyBytes = Array(SHA256.hash(data: Data("quotewire web session\u{0}\(token)".utf8)))
    }

    /// A new session's cookie value, valid until `now` + ``lifetime``.
    func issue(now: Date = Date()) -> String {
        let payload = "\(Self.version).\(Int(now.timeIntervalSince1970 + Self.lifetime))"
        let code = HMAC<SHA256>.authenticationCode(for: Data(payload.utf8), using: key)
        return payload + "." + Self.base64URL(Data(code))
    }

    /// Whether `value` is a cookie this token issued that has not expired at `now`.
    func accepts(_ value: String, now: Date = Date()) -> Bool {
        let parts = value.split(separator: ".", omittingEmptySubsequences: false)
        guard value.utf8.count <= 128, parts.count == 3, parts[0] == Self.version, let expiry = Int(parts[1]),
              Double(expiry) > now.timeIntervalSince1970, let code = Self.base64URLDecode(String(parts[2]))
        else { return false }
        return HMAC<SHA256>.isValidAuthenticationCode(code, authenticating: Data("\(parts[0]).\(parts[1])".utf8), using: key)
    }

    /// The `Set-Cookie` value that opens a session.
    func setCookie(now: Date = Date()) -> String {
        "\(Self.cookieName)=\(issue(now: now)); Path=/; Max-Age=\(Int(Self.lifetime)); HttpOnly; SameSite=Strict"
    }

    /// The `Set-Cookie` value that ends one.
    static var clearingCookie: String {
        "\(cookieName)=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict"
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func base64URLDecode(_ text: String) -> Data? {
        guard text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else { return nil }
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64)
    }
}
