import CLibXML2

/// One HTML page as libxml2's HTML parser builds it (the parser under lxml): the document is
/// owned here and freed in `deinit`. Nodes read from it are valid while it lives.
///
/// Raw-text elements, comments, CDATA, entities, implied `<head>`/`<body>` and broken markup
/// are the parser's business. The input is UTF-8 (``PageCharset`` makes it so) and the page's
/// own encoding declarations are ignored.
///
/// One difference from a browser is mended while the page is parsed: libxml2 drops an end tag
/// `</p>` or `</br>` that closes nothing, where HTML puts an empty paragraph or a line break,
/// so old pages that end every paragraph with a bare `</p>` would run their paragraphs
/// together. The parser reports the stray tag as an error, on this thread, before it reads on;
/// the handler adds that element where the parser is.
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
        guard Self.initialized, let base = bytes.baseAddress, bytes.count > 0, bytes.count < Int(Int32.max),
              let context = htmlNewParserCtxt() else { return nil }
        defer { htmlFreeParserCtxt(context) }
        // libxml2's error handler is per thread; this parse is the thread's until it returns.
        xmlSetStructuredErrorFunc(UnsafeMutableRawPointer(context), Self.mendStrayEndTag)
        defer { xmlSetStructuredErrorFunc(nil, nil) }
        let parsed = UnsafeRawPointer(base).withMemoryRebound(to: CChar.self, capacity: bytes.count) { chars in
            htmlCtxtReadMemory(context, chars, Int32(bytes.count), nil, "UTF-8", Self.options)
        }
        guard let parsed else { return nil }
        document = parsed
    }

    deinit { xmlFreeDoc(document) }

    /// The error handler: a stray `</p>` or `</br>` becomes an empty `<p>` or a `<br>` where the
    /// parser is; every other error is ignored (the parser recovers from it).
    private static let mendStrayEndTag: xmlStructuredErrorFunc = { data, error in
        guard let data, let error, error.pointee.code == Int32(XML_ERR_TAG_NAME_MISMATCH.rawValue),
              let name = error.pointee.str1 else { return }
        let context = data.assumingMemoryBound(to: xmlParserCtxt.self)
        guard let node = context.pointee.node, node.pointee.type == XML_ELEMENT_NODE else { return }
        let tag: StaticString
        switch String(cString: name) {
        case "p": tag = "p"
        case "br": tag = "br"
        default: return
        }
        if let element = xmlNewDocNode(context.pointee.myDoc, nil, tag.utf8Start, nil) {
            xmlAddChild(node, element)
        }
    }
}
