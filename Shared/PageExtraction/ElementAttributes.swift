/// The attributes of one element that extraction reads, in one pass over libxml2's list.
struct ElementAttributes {
    /// From class, id, role and itemprop (an `itemprop="articleBody"` outranks the rest).
    var hint = ElementHint.none
    /// `hidden`, `display:none` or `visibility:hidden`.
    var hidden = false
    var hasHref = false
    var relAuthor = false
    var itempropAuthor = false
    /// A class or id naming a byline or author.
    var bylineClass = false
    /// `<script type="application/ld+json">`.
    var isJSONLD = false
    /// `<time datetime>`.
    var datetime: String?
    /// The date of an `itemprop="datePublished"` (its content or datetime).
    var itempropDate: String?
    /// The raw values read only for `<meta>` and `<link>` (valid during the parser's event).
    private var keyValue: UnsafePointer<UInt8>?
    private var itempropKey: String?
    private var contentValue: UnsafePointer<UInt8>?
    private var hrefValue: UnsafePointer<UInt8>?

    /// `<meta>`: its property, name or itemprop, lower-cased; `<link>`: its rel.
    var key: String? { keyValue.map { String(cString: $0).lowercased() } ?? itempropKey }
    var content: String? { contentValue.map { C1Controls.replaced(in: String(cString: $0)) } }
    var href: String? { hrefValue.map { String(cString: $0) } }

    /// Reads the parser's attribute list: name, value, name, value, …, nil (a value is nil for
    /// an attribute given without one). The values are valid only during the parser's event.
    mutating func read(_ list: UnsafeMutablePointer<UnsafePointer<UInt8>?>?) {
        guard let list else { return }
        var itemprop: String?
        var classHint = ElementHint.none
        var k = 0
        while let name = list[k] {
            let value = list[k + 1]
            k += 2
            switch Name(name) {
            case .class_, .id:
                if let value {
                    classHint = max(classHint, HintReader.hint(ofClassOrID: value))
                    if !bylineClass, Self.contains(value, "byline") || Self.contains(value, "author") { bylineClass = true }
                }
            case .role:
                if let value { classHint = max(classHint, HintReader.hint(ofRole: String(cString: value))) }
            case .itemprop:
                if let value { itemprop = String(cString: value) }
            case .hidden:
                hidden = true
            case .style:
                if let value, Self.hides(value) { hidden = true }
            case .href:
                hasHref = true
                hrefValue = value
            case .rel:
                if let value {
                    if Self.contains(value, "author") { relAuthor = true }
                    if keyValue == nil { keyValue = value }
                }
            case .type:
                if let value, Self.contains(value, "ld+json") { isJSONLD = true }
            case .datetime:
                if let value { datetime = String(cString: value) }
            case .content:
                contentValue = value
            case .property, .name:
                if let value { keyValue = value }
            case .other:
                break
            }
        }
        hint = classHint
        if let itemprop {
            let h = HintReader.hint(ofItemprop: itemprop)
            if h == .articleBody { hint = .articleBody } else { hint = max(hint, h) }
            if itemprop == "author" || itemprop == "creator" { itempropAuthor = true }
            if itemprop == "datePublished" { itempropDate = content ?? datetime }
            if keyValue == nil { itempropKey = itemprop.lowercased() }
        }
    }

    /// The attribute names read.
    private enum Name {
        case class_, id, role, itemprop, hidden, style, href, rel, type, datetime, content, property, name, other

        init(_ p: UnsafePointer<UInt8>) {
            func equals(_ s: StaticString) -> Bool {
                let n = s.utf8CodeUnitCount
                for k in 0..<n where p[k] | 0x20 != s.utf8Start[k] { return false }
                return p[n] == 0
            }
            switch p[0] | 0x20 {
            case 0x63: self = equals("class") ? .class_ : equals("content") ? .content : .other
            case 0x69: self = equals("id") ? .id : equals("itemprop") ? .itemprop : .other
            case 0x72: self = equals("role") ? .role : equals("rel") ? .rel : .other
            case 0x68: self = equals("href") ? .href : equals("hidden") ? .hidden : .other
            case 0x73: self = equals("style") ? .style : .other
            case 0x74: self = equals("type") ? .type : .other
            case 0x64: self = equals("datetime") ? .datetime : .other
            case 0x70: self = equals("property") ? .property : .other
            case 0x6E: self = equals("name") ? .name : .other
            default: self = .other
            }
        }
    }

    /// Whether an inline style hides the element.
    static func hides(_ style: UnsafePointer<UInt8>) -> Bool {
        var squashed: [UInt8] = []
        var i = 0
        while style[i] != 0, i < 1024 {
            let c = style[i]
            if c != 0x20 && c != 0x09 && c != 0x0A && c != 0x0D { squashed.append((c &- 0x41) < 26 ? c | 0x20 : c) }
            i += 1
        }
        return contains(squashed, "display:none") || contains(squashed, "visibility:hidden")
    }

    /// Whether the C string contains the lower-case ASCII `needle`, compared lower-cased.
    static func contains(_ value: UnsafePointer<UInt8>, _ needle: StaticString) -> Bool {
        let n = needle.utf8CodeUnitCount
        let p = needle.utf8Start
        var i = 0
        while value[i] != 0, i < HintReader.maximumLength {
            var k = 0
            while k < n, value[i + k] != 0, (value[i + k] &- 0x41) < 26 ? value[i + k] | 0x20 == p[k] : value[i + k] == p[k] { k += 1 }
            if k == n { return true }
            i += 1
        }
        return false
    }

    static func contains(_ bytes: [UInt8], _ needle: StaticString) -> Bool {
        let n = needle.utf8CodeUnitCount
        guard bytes.count >= n else { return false }
        let p = needle.utf8Start
        for i in 0...(bytes.count - n) where bytes[i] == p[0] {
            var k = 1
            while k < n, bytes[i + k] == p[k] { k += 1 }
            if k == n { return true }
        }
        return false
    }
}
