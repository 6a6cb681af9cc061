/// The HTML elements page extraction tells apart; every other element is `.other` (inline).
enum HTMLTag: UInt8, Sendable {
    case other
    // Never rendered as text: their content is skipped (JSON-LD scripts are read for metadata).
    case meta, link, base, script, style, noscript, template, svg, math, iframe, frame, frameset, object, embed
    case canvas, select, option, textarea, button, input, map, video, audio, datalist
    // Sections and blocks.
    case head, title, html, body, div, section, article, main, aside, nav, header, footer, p, h1, h2, h3, h4, h5, h6
    case ul, ol, li, dl, dt, dd, table, tr, td, th, thead, tbody, tfoot, caption, blockquote, pre, figure, figcaption
    case address, hr, br, center, form, fieldset, legend, details, summary, dialog, menu, hgroup
    // Inline elements with a meaning of their own.
    case a, img, time

    /// Elements whose content is not page text.
    var isSkipped: Bool { rawValue >= HTMLTag.meta.rawValue && rawValue <= HTMLTag.datalist.rawValue }

    /// Elements that start and end a block of text.
    var isBlock: Bool { rawValue >= HTMLTag.head.rawValue && rawValue <= HTMLTag.hgroup.rawValue }

    var isHeading: Bool { rawValue >= HTMLTag.h1.rawValue && rawValue <= HTMLTag.h6.rawValue }

    /// Elements that are page furniture by their meaning: a strike against them, never a verdict
    /// by itself (an `<aside>` can hold a quotation box). A `<header>` is not one: inside an
    /// article it holds the headline and often the first lines.
    var isFurnitureElement: Bool { self == .nav || self == .aside || self == .footer || self == .menu }

    /// The tag of a lower-case element name as libxml2 gives it (NUL-terminated); no allocation.
    init(name: UnsafePointer<UInt8>) {
        let first = name[0]
        guard (first &- 0x61) < 26 else {
            self = .other
            return
        }
        var n = 0
        while name[n] != 0, n <= 10 { n += 1 }
        for (bytes, tag) in Self.byFirstLetter[Int(first - 0x61)] where bytes.count == n {
            var k = 1
            while k < n, bytes[k] == name[k] { k += 1 }
            if k == n {
                self = tag
                return
            }
        }
        self = .other
    }

    /// The named tags by their first letter.
    private static let byFirstLetter: [[(bytes: [UInt8], tag: HTMLTag)]] = {
        var buckets = [[(bytes: [UInt8], tag: HTMLTag)]](repeating: [], count: 26)
        for (name, tag) in byName {
            let bytes = Array(name.utf8)
            buckets[Int(bytes[0] - 0x61)].append((bytes, tag))
        }
        return buckets
    }()

    private static let byName: [String: HTMLTag] = {
        let all: [HTMLTag] = [
            .meta, .link, .base, .script, .style, .noscript, .template, .svg, .math, .iframe, .frame, .frameset,
            .object, .embed, .canvas, .select, .option, .textarea, .button, .input, .map, .video, .audio, .datalist,
            .head, .title, .html, .body, .div, .section, .article, .main, .aside, .nav, .header, .footer, .p, .h1, .h2, .h3, .h4, .h5, .h6,
            .ul, .ol, .li, .dl, .dt, .dd, .table, .tr, .td, .th, .thead, .tbody, .tfoot, .caption, .blockquote, .pre, .figure,
            .figcaption, .address, .hr, .br, .center, .form, .fieldset, .legend, .details, .summary, .dialog, .menu, .hgroup,
            .a, .img, .time,
        ]
        var table: [String: HTMLTag] = [:]
        for tag in all { table[String(describing: tag)] = tag }
        return table
    }()
}
