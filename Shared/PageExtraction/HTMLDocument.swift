import CLibXML2

/// One HTML page as libxml2's HTML parser builds it (the parser under lxml): the document is
/// owned here and freed in `deinit`. Nodes read from it are valid while it lives.
///
/// Raw-text elements, comments, CDATA, entities, implied `<head>`/`<body>` and broken markup
/// are the parser's business. The input is UTF-8 (``PageCharset`` makes it so) and the page's
/// own encoding declarations are ignored.
final class HTMLDocument {
    let document: htmlDocPtr

    /// libxml2 wants `xmlInitParser` once, before threads use it.
    private static let initialized: Bool = {
        xmlInitParser()
        return true
    }()

    private static let options: Int32 = {
        let all = [HTML_PARSE_RECOVER, HTML_PARSE_NOERROR, HTML_PARSE_NOWARNING, HTML_PARSE_NONET, HTML_PARSE_NODEFDTD,
                   HTML_PARSE_COMPACT, HTML_PARSE_IGNORE_ENC]
        return Int32(all.reduce(0) { $0 | $1.rawValue })
    }()

    /// Parses UTF-8 bytes; nil when libxml2 builds no document (an empty input).
    init?(utf8 bytes: UnsafeBufferPointer<UInt8>) {
        guard Self.initialized, let base = bytes.baseAddress, bytes.count > 0, bytes.count < Int(Int32.max) else { return nil }
        let parsed = UnsafeRawPointer(base).withMemoryRebound(to: CChar.self, capacity: bytes.count) { chars in
            htmlReadMemory(chars, Int32(bytes.count), nil, "UTF-8", Self.options)
        }
        guard let parsed else { return nil }
        document = parsed
    }

    deinit { xmlFreeDoc(document) }
}
