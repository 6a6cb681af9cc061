import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import QuotewireModels

/// The charset of a page's bytes, and the page as UTF-8.
///
/// Decided as a browser decides, with one exception that real pages need: a byte-order mark
/// first; then bytes that are valid UTF-8 stay UTF-8 whatever the page declares (pages
/// converted to UTF-8 often keep their old `<meta charset>`); then the charset of the HTTP
/// content type, when the caller knows it; then the page's own `<meta charset>` or
/// `<meta http-equiv="Content-Type">` in its first 8 KB. The conversion is the C library's
/// `iconv`; labels are read as the WHATWG Encoding standard reads them (`iso-8859-1` and
/// `us-ascii` mean windows-1252).
public enum PageCharset {
    /// How far into the page a `<meta>` charset is looked for.
    static let metaScanBytes = 8192

    /// Calls `body` with the page as UTF-8 (the bytes themselves when they already are, less a
    /// UTF-8 byte-order mark).
    /// - Parameter contentType: the HTTP `Content-Type` value, when known.
    /// - Throws: ``PageDecodingError`` when the bytes are not UTF-8 and name no charset, name one
    ///   the converter does not know, or are not valid in the one they name.
    public static func withUTF8<R>(
        _ bytes: UnsafeBufferPointer<UInt8>, contentType: String? = nil, _ body: (UnsafeBufferPointer<UInt8>) throws(PageDecodingError) -> R
    ) throws(PageDecodingError) -> R {
        if hasUTF8BOM(bytes) {
            let rest = UnsafeBufferPointer(rebasing: bytes[3...])
            guard let bad = UTF8Validation.firstInvalidOffset(rest) else { return try body(rest) }
            throw PageDecodingError(.invalidBytes, "the page starts with a UTF-8 byte-order mark but is not valid UTF-8 (first bad byte at offset \(bad + 3))", offset: bad + 3)
        }
        if let utf16 = utf16Charset(bytes) {
            let converted = try convert(UnsafeBufferPointer(rebasing: bytes[2...]), from: utf16, label: utf16, offsetBase: 2)
            return try converted.withUnsafeBufferPointer { b throws(PageDecodingError) in try body(b) }
        }
        guard let firstBad = UTF8Validation.firstInvalidOffset(bytes) else { return try body(bytes) }
        let declared = contentType.flatMap(charset(ofMediaType:)) ?? metaCharset(bytes)
        guard let declared else {
            throw PageDecodingError(
                .undeclaredCharset,
                "the page is not valid UTF-8 (first bad byte at offset \(firstBad)) and names no charset in a <meta> tag or its content type",
                offset: firstBad)
        }
        let name = converterName(forLabel: declared)
        if name == "UTF-8" {
            throw PageDecodingError(.invalidBytes, "the page declares charset \(declared.prefix(40)) but is not valid UTF-8 (first bad byte at offset \(firstBad))", offset: firstBad)
        }
        let converted = try convert(bytes, from: name, label: declared, offsetBase: 0)
        return try converted.withUnsafeBufferPointer { b throws(PageDecodingError) in try body(b) }
    }

    /// The page as a UTF-8 String (see ``withUTF8(_:contentType:_:)``).
    public static func string(_ bytes: UnsafeBufferPointer<UInt8>, contentType: String? = nil) throws(PageDecodingError) -> String {
        try withUTF8(bytes, contentType: contentType) { b throws(PageDecodingError) in String(decoding: b, as: UTF8.self) }
    }

    /// The `charset` parameter of a media type (`text/html; charset="ISO-8859-1"`), lower-cased.
    public static func charset(ofMediaType mediaType: String) -> String? {
        for parameter in mediaType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingASCIISpaces().lowercased() == "charset" else { continue }
            let value = pair[1].trimmingASCIISpaces().filter { $0 != "\"" && $0 != "'" }.lowercased()
            return value.isEmpty ? nil : value
        }
        return nil
    }

    /// The name `iconv` knows for a charset label, as the WHATWG Encoding standard maps labels.
    static func converterName(forLabel label: String) -> String {
        let l = label.trimmingASCIISpaces().lowercased()
        switch l {
        case "utf-8", "utf8", "unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "x-unicode20utf8":
            return "UTF-8"
        case "iso-8859-1", "iso8859-1", "iso_8859-1", "iso88591", "latin1", "l1", "us-ascii", "ascii", "ansi_x3.4-1968",
             "cp1252", "windows-1252", "x-cp1252", "cp819", "ibm819", "iso-ir-100", "csisolatin1":
            return "WINDOWS-1252"
        case "iso-8859-9", "iso8859-9", "latin5", "l5", "windows-1254", "cp1254": return "WINDOWS-1254"
        case "gb2312", "gbk", "x-gbk", "chinese", "csgb2312", "gb18030": return "GB18030"
        case "big5", "big5-hkscs", "x-x-big5", "cn-big5", "csbig5": return "BIG5-HKSCS"
        case "shift_jis", "shift-jis", "sjis", "x-sjis", "ms_kanji", "ms932", "windows-31j", "csshiftjis": return "CP932"
        case "euc-kr", "ks_c_5601-1987", "korean", "windows-949", "cseuckr": return "CP949"
        case "tis-620", "iso-8859-11", "windows-874": return "CP874"
        case "utf-16", "utf-16le": return "UTF-16LE"
        case "utf-16be": return "UTF-16BE"
        default: return l.uppercased()
        }
    }

    /// The charset a `<meta charset>` or `<meta http-equiv="Content-Type" content="…; charset=…">`
    /// in the first ``metaScanBytes`` bytes names.
    static func metaCharset(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        let end = min(bytes.count, metaScanBytes)
        var i = 0
        while i + 5 < end {
            guard bytes[i] == 0x3C, lowered(bytes[i + 1]) == 0x6D, lowered(bytes[i + 2]) == 0x65,
                  lowered(bytes[i + 3]) == 0x74, lowered(bytes[i + 4]) == 0x61 else {
                i += 1
                continue
            }
            var j = i + 5
            var charset: String?
            var content: String?
            while j < end, bytes[j] != 0x3E {
                guard let (name, value, next) = attribute(bytes, j, end) else { break }
                j = next
                if name == "charset", !value.isEmpty { charset = value }
                if name == "content" { content = value }
            }
            if let charset { return charset.lowercased() }
            if let content, let r = content.lowercased().range(of: "charset=") {
                let value = content[r.upperBound...].prefix { $0 != ";" && $0 != " " && $0 != "\"" && $0 != "'" }
                if !value.isEmpty { return value.lowercased() }
            }
            i = j
        }
        return nil
    }

    /// One `name=value` (or bare `name`) attribute at `i`: name lower-cased, value unquoted, and where the next starts.
    private static func attribute(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> (String, String, Int)? {
        var i = start
        while i < end, isSpace(b[i]) || b[i] == 0x2F { i += 1 }
        guard i < end, b[i] != 0x3E else { return nil }
        let nameStart = i
        while i < end, !isSpace(b[i]), b[i] != 0x3D, b[i] != 0x3E, b[i] != 0x2F { i += 1 }
        let name = String(decoding: UnsafeBufferPointer(rebasing: b[nameStart..<i]), as: UTF8.self).lowercased()
        while i < end, isSpace(b[i]) { i += 1 }
        guard i < end, b[i] == 0x3D else { return (name, "", max(i, nameStart + 1)) }
        i += 1
        while i < end, isSpace(b[i]) { i += 1 }
        var valueStart = i
        var valueEnd = i
        if i < end, b[i] == 0x22 || b[i] == 0x27 {
            let quote = b[i]
            valueStart = i + 1
            i += 1
            while i < end, b[i] != quote { i += 1 }
            valueEnd = i
            if i < end { i += 1 }
        } else {
            while i < end, !isSpace(b[i]), b[i] != 0x3E { i += 1 }
            valueEnd = i
        }
        return (name, String(decoding: UnsafeBufferPointer(rebasing: b[valueStart..<valueEnd]), as: UTF8.self), i)
    }

    static func hasUTF8BOM(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        b.count >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF
    }

    static func utf16Charset(_ b: UnsafeBufferPointer<UInt8>) -> String? {
        guard b.count >= 2 else { return nil }
        if b[0] == 0xFF && b[1] == 0xFE { return "UTF-16LE" }
        if b[0] == 0xFE && b[1] == 0xFF { return "UTF-16BE" }
        return nil
    }

    /// Converts `bytes` from `name` to UTF-8. In windows-1252 the five bytes it leaves undefined
    /// read as the C1 controls of the same value, as in a browser.
    static func convert(_ bytes: UnsafeBufferPointer<UInt8>, from name: String, label: String, offsetBase: Int) throws(PageDecodingError) -> [UInt8] {
        guard let converter = CharsetConverter(from: name) else {
            throw PageDecodingError(.unknownCharset, "the page declares charset \(label.prefix(40)), which this system cannot convert")
        }
        switch converter.convert(bytes, latin1Fallback: name == "WINDOWS-1252") {
        case .success(let out): return out
        case .failure(let bad):
            let offset = bad.offset
            throw PageDecodingError(.invalidBytes, "the page is not valid \(label.prefix(40)) (first bad byte at offset \(offset + offsetBase))", offset: offset + offsetBase)
        }
    }

    @inline(__always) static func lowered(_ c: UInt8) -> UInt8 { (c &- 0x41) < 26 ? c | 0x20 : c }
    @inline(__always) static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || (c &- 0x09) < 5 }
}

/// One `iconv` conversion to UTF-8, opened here and closed in `deinit`.
final class CharsetConverter {
    private let handle: iconv_t

    init?(from charset: String) {
        let h = iconv_open("UTF-8", charset)
        guard let h, h != iconv_t(bitPattern: -1) else { return nil }
        handle = h
    }

    deinit { iconv_close(handle) }

    /// Where a conversion stopped.
    struct BadByte: Error {
        var offset: Int
    }

    /// The UTF-8 text of `bytes`, or the offset of the first byte that is not valid in the charset.
    /// With `latin1Fallback` a byte the charset leaves undefined becomes the code point of its value.
    func convert(_ bytes: UnsafeBufferPointer<UInt8>, latin1Fallback: Bool) -> Result<[UInt8], BadByte> {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return .success([]) }
        var out = [UInt8](repeating: 0, count: bytes.count * 2 + 16)
        var written = 0
        var consumed = 0
        while consumed < bytes.count {
            if out.count - written < 16 { out.append(contentsOf: repeatElement(0, count: out.count)) }
            var inLeft = bytes.count - consumed
            var outLeft = out.count - written
            let result: Int = out.withUnsafeMutableBufferPointer { o in
                var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(mutating: base + consumed)
                    .assumingMemoryBound(to: CChar.self)
                var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(o.baseAddress! + written)
                    .assumingMemoryBound(to: CChar.self)
                return iconv(handle, &inPtr, &inLeft, &outPtr, &outLeft)
            }
            let e = errno
            let advanced = (bytes.count - consumed) - inLeft
            consumed += advanced
            written = out.count - outLeft
            if result != -1 { break }
            switch e {
            case E2BIG:
                out.append(contentsOf: repeatElement(0, count: out.count))
            case EILSEQ where latin1Fallback:
                let c = UInt32(bytes[consumed])
                if out.count - written < 2 { out.append(contentsOf: repeatElement(0, count: out.count)) }
                out.replaceSubrange(written..<(written + 2), with: [0xC0 | UInt8(c >> 6), 0x80 | UInt8(c & 0x3F)])
                written += 2
                consumed += 1
            default:
                return .failure(BadByte(offset: consumed))
            }
        }
        out.removeSubrange(written...)
        return .success(out)
    }
}

extension StringProtocol {
    /// Without ASCII white space at either end.
    func trimmingASCIISpaces() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !($0 == " " || ("\t"..."\r").contains($0)) }) else { return "" }
        let last = scalars.lastIndex(where: { !($0 == " " || ("\t"..."\r").contains($0)) }) ?? first
        return String(String.UnicodeScalarView(scalars[first...last]))
    }
}
