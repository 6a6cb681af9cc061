import CLibXML2

/// libxml2's HTML parser (the parser under lxml) run over one page, its SAX events building a
/// ``PageTree`` directly: no document tree is built, so a page costs its text, not a node per
/// element. The parser context is owned here and freed in `deinit`.
///
/// Raw-text elements, comments, CDATA, entities, implied `<html>`/`<head>`/`<body>`, elements
/// closed by others and broken markup are the parser's business; its events are balanced (an
/// element it closes by implication gets its end event). The input is UTF-8 (``PageCharset``
/// makes it so) and the page's own encoding declarations are ignored.
///
/// One difference from a browser is mended: libxml2 drops an end tag `</p>` or `</br>` that
/// closes nothing, where HTML puts an empty paragraph or a line break, so old pages that end
/// every paragraph with a bare `</p>` would run their paragraphs together. The parser reports
/// the stray tag as an error, on this thread, before it reads on; the handler ends the block there.
final class HTMLReader {
    private let context: htmlParserCtxtPtr

    /// libxml2 wants `xmlInitParser` once, before threads use it.
    private static let initialized: Bool = {
        xmlInitParser()
        return true
    }()

    private static let options: Int32 = {
        let all = [HTML_PARSE_RECOVER, HTML_PARSE_NOERROR, HTML_PARSE_NOWARNING, HTML_PARSE_NONET, HTML_PARSE_NODEFDTD,
                   HTML_PARSE_IGNORE_ENC]
        return Int32(all.reduce(0) { $0 | $1.rawValue })
    }()

    /// A parser over UTF-8 bytes (which must outlive it); nil for an empty input.
    init?(utf8 bytes: UnsafeBufferPointer<UInt8>) {
        guard Self.initialized, let base = bytes.baseAddress, bytes.count > 0, bytes.count < Int(Int32.max) else { return nil }
        let created = UnsafeRawPointer(base).withMemoryRebound(to: CChar.self, capacity: bytes.count) { chars in
            htmlCreateMemoryParserCtxt(chars, Int32(bytes.count))
        }
        guard let created else { return nil }
        context = created
    }

    deinit {
        if let document = context.pointee.myDoc { xmlFreeDoc(document) }
        htmlFreeParserCtxt(context)
    }

    /// Parses the page, handing its events to `builder`.
    func read(into builder: UnsafeMutablePointer<PageTreeBuilder>) {
        var handler = htmlSAXHandler()
        handler.initialized = 1
        handler.startElement = { data, name, attributes in
            guard let data, let name else { return }
            data.assumingMemoryBound(to: PageTreeBuilder.self).pointee.start(name, attributes)
        }
        handler.endElement = { data, _ in
            guard let data else { return }
            data.assumingMemoryBound(to: PageTreeBuilder.self).pointee.end()
        }
        let text: charactersSAXFunc = { data, characters, length in
            guard let data, let characters, length > 0 else { return }
            data.assumingMemoryBound(to: PageTreeBuilder.self).pointee
                .characters(UnsafeBufferPointer(start: characters, count: Int(length)))
        }
        handler.characters = text
        handler.ignorableWhitespace = text
        handler.cdataBlock = text  // a script's or a style's content
        let builderPointer = UnsafeMutableRawPointer(builder)
        context.pointee.sax.pointee = handler
        context.pointee.userData = builderPointer
        htmlCtxtUseOptions(context, Self.options)
        xmlSwitchEncoding(context, XML_CHAR_ENCODING_UTF8)
        // libxml2's error handler is per thread; this parse is the thread's until it returns.
        xmlSetStructuredErrorFunc(builderPointer, Self.mendStrayEndTag)
        defer { xmlSetStructuredErrorFunc(nil, nil) }
        htmlParseDocument(context)
        builder.pointee.finish()
    }

    /// The error handler: a stray `</p>` or `</br>` ends the block where the parser is; every
    /// other error is ignored (the parser recovers from it).
    private static let mendStrayEndTag: xmlStructuredErrorFunc = { data, error in
        guard let data, let error, error.pointee.code == Int32(XML_ERR_TAG_NAME_MISMATCH.rawValue),
              let name = error.pointee.str1 else { return }
        switch String(cString: name) {
        case "p", "br": data.assumingMemoryBound(to: PageTreeBuilder.self).pointee.strayEndTag()
        default: return
        }
    }
}
