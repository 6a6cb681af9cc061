import CLibXML2

/// A page flattened for extraction from libxml2's parse events (``HTMLReader``): its elements
/// in document order, its visible text as blocks (the runs between block-level boundaries,
/// white space collapsed), and what its markup says about the article (``PageSignals``).
///
/// Skipped: raw-text and embedded elements (``HTMLTag/isSkipped``), the text of `<title>`,
/// comments, and elements the page hides (`hidden`, `display:none`, `visibility:hidden`).
/// Nothing else is dropped here (not even the head, where a broken page can leave its body);
/// what is furniture is decided later, on the whole tree.
struct PageTree {
    struct Element {
        var tag: HTMLTag
        var hint: ElementHint

        /// Whether its start and end end a block: a block-level element, or an inline one marked
        /// as a caption, byline or date (pages style those as blocks: `<span class="byline">`).
        var isBoundary: Bool { tag.isBlock || (tag != .a && (hint == .caption || hint == .supplement)) }
        /// The parent's index, -1 for the root.
        var parent: Int32
        /// One past the last element of its subtree: the subtree is `index..<end`.
        var end: Int32
    }

    struct Block {
        /// Its bytes in ``PageTree/text``.
        var start: Int32
        var end: Int32
        /// The innermost element holding all of its text.
        var owner: Int32
        var words: Int32
        /// Words inside links.
        var linkWords: Int32
        /// Sentence-ending punctuation followed by a space or the end.
        var sentenceEnds: Int32
        var commas: Int32
        /// Words that start with an ASCII lower-case letter, and with any ASCII letter: running
        /// Latin-script text has some of the first ("the", "said"); a date or a name has none.
        var lowerWords: Int32
        var latinWords: Int32
    }

    var elements: [Element] = []
    var blocks: [Block] = []
    /// The blocks' text, UTF-8.
    var text: [UInt8] = []
    var signals = PageSignals()

    func string(_ block: Block) -> String {
        text.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[Int(block.start)..<Int(block.end)]), as: UTF8.self) }
    }

    func string(_ range: Range<Int>) -> String {
        text.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[range]), as: UTF8.self) }
    }

    /// Whether element `e` is `ancestor` or inside it.
    @inline(__always) func isInside(_ e: Int32, _ ancestor: Int32) -> Bool {
        e >= ancestor && e < elements[Int(ancestor)].end
    }

    /// The tree of a page's UTF-8 bytes; nil when libxml2 makes nothing of them (an empty input).
    init?(utf8 bytes: UnsafeBufferPointer<UInt8>) {
        guard let reader = HTMLReader(utf8: bytes) else { return nil }
        var builder = PageTreeBuilder()
        withUnsafeMutablePointer(to: &builder) { reader.read(into: $0) }
        self = builder.tree
    }

    init() {}
}

/// Builds a ``PageTree`` from the parser's events, in one pass. A struct, reached by the
/// parser's callbacks through a pointer: no exclusivity check on each use, as a class would pay.
struct PageTreeBuilder {
    var tree = PageTree()
    /// The open elements' indices, outermost first.
    var stack: [Int32] = []
    /// Open `<a href>` elements.
    var linkDepth = 0
    /// Whether each open element (by stack position) is an `<a href>`.
    var openLinks: [Bool] = []

    /// Inside a skipped element: how many of its descendants are open, plus one.
    var skipDepth = 0
    /// The JSON-LD script being read, while one is.
    var jsonLD: [UInt8]?
    /// The first `<title>`'s text, while it is open.
    var title: [UInt8]?

    /// The block being built.
    struct BlockState {
        /// Where its text starts, or -1 when no block is open.
        var start = -1
        var pendingSpace = false
        var inWord = false
        var words: Int32 = 0
        var linkWords: Int32 = 0
        var sentenceEnds: Int32 = 0
        var commas: Int32 = 0
        var lowerWords: Int32 = 0
        var latinWords: Int32 = 0
    }

    var block = BlockState()
    var owner: Int32 = -1
    var ownerDepth = 0
    /// The shallowest stack depth since the last text: where the block's owner may have to rise to.
    var lowWater = 0

    /// Elements whose text is wanted as a whole (h1, time, byline, caption): their start in `text`.
    var captures: [(element: Int32, kind: PageSignals.Capture.Kind, start: Int)] = []

    /// The longest JSON-LD script read.
    static let maximumJSONLD = 4 << 20

    init() {
        tree.text.reserveCapacity(1 << 14)
    }


    // MARK: Events

    /// An element starts: it is recorded, or, when its content is not page text, skipped
    /// (what it says read first: a JSON-LD script, a `<meta>`, a `<link>`).
    mutating func start(_ name: UnsafePointer<UInt8>, _ attributeList: UnsafeMutablePointer<UnsafePointer<UInt8>?>?) {
        if skipDepth > 0 {
            skipDepth += 1
            return
        }
        let tag = HTMLTag(name: name)
        var attributes = ElementAttributes()
        attributes.read(attributeList)
        if tag.isSkipped || attributes.hidden {
            switch tag {
            case .script where attributes.isJSONLD: jsonLD = []
            case .meta, .link: tree.signals.note(attributes)
            default: break
            }
            skipDepth = 1
            return
        }
        var hint = attributes.hint
        if tag.isFurnitureElement { hint = max(hint, .furnitureElement) }
        if tag == .figcaption || tag == .caption { hint = max(hint, .caption) }
        let index = Int32(tree.elements.count)
        let element = PageTree.Element(tag: tag, hint: hint, parent: stack.last ?? -1, end: index + 1)
        if element.isBoundary { flush() }
        tree.elements.append(element)
        stack.append(index)
        let isLink = tag == .a && attributes.hasHref
        openLinks.append(isLink)
        if isLink { linkDepth += 1 }
        if tag == .br || tag == .hr { flush() }
        if tag == .title, tree.signals.title == nil, title == nil { title = [] }
        noteSignals(index, tag, attributes)
    }

    /// The innermost open element ends.
    mutating func end() {
        if skipDepth > 0 {
            skipDepth -= 1
            if skipDepth == 0, let json = jsonLD {
                if !json.isEmpty { tree.signals.jsonLD.append(String(decoding: json, as: UTF8.self)) }
                jsonLD = nil
            }
            return
        }
        guard let index = stack.popLast() else { return }
        let i = Int(index)
        tree.elements[i].end = Int32(tree.elements.count)
        let tag = tree.elements[i].tag
        if tree.elements[i].isBoundary { flush() }
        if openLinks.popLast() == true { linkDepth -= 1 }
        if tag == .title, let t = title {
            let text = C1Controls.replaced(in: String(decoding: t, as: UTF8.self))
            if !text.isEmpty { tree.signals.title = text }
            title = nil
        }
        if let last = captures.last, last.element == index {
            captures.removeLast()
            var start = last.start
            while start < tree.text.count, tree.text[start] == 0x20 || tree.text[start] == 0x0A { start += 1 }
            if start < tree.text.count {
                tree.signals.captures.append(.init(element: index, kind: last.kind, text: start..<tree.text.count))
            }
        }
        lowWater = min(lowWater, stack.count - 1)
    }

    /// Text, or a script's or style's content.
    mutating func characters(_ text: UnsafeBufferPointer<UInt8>) {
        if skipDepth > 0 {
            if jsonLD != nil, jsonLD!.count + text.count <= Self.maximumJSONLD { jsonLD!.append(contentsOf: text) }
            return
        }
        // A title's own text is metadata; a broken page may nest the rest of itself in its <title>.
        if let top = stack.last, tree.elements[Int(top)].tag == .title {
            if title != nil, title!.count < 4096 { title!.append(contentsOf: text.prefix(4096)) }
            return
        }
        if C1Controls.occur(in: text) {
            C1Controls.replaced(in: text).withUnsafeBufferPointer { appendText($0) }
        } else {
            appendText(text)
        }
    }

    /// A `</p>` or `</br>` that closes nothing: HTML's empty paragraph or line break.
    mutating func strayEndTag() {
        if skipDepth == 0 { flush() }
    }

    /// The end of the page.
    mutating func finish() {
        flush()
        while !stack.isEmpty { end() }
    }

    mutating func noteSignals(_ index: Int32, _ tag: HTMLTag, _ a: ElementAttributes) {
        var kind: PageSignals.Capture.Kind?
        switch tag {
        case .h1: kind = .heading
        case .time:
            if let dt = a.datetime { tree.signals.times.append((index, dt)) }
            kind = .time
        case .figcaption, .caption: kind = .caption
        default: break
        }
        if a.relAuthor || a.itempropAuthor { kind = .author }
        if kind == nil, a.bylineClass { kind = .byline }
        if kind == nil, a.hint == .caption, tag != .img { kind = .caption }
        if let d = a.itempropDate { tree.signals.times.append((index, d)) }
        if let kind {
            // Inside a capture of the same kind only the outer one counts.
            if !captures.contains(where: { $0.kind == kind }) {
                captures.append((index, kind, tree.text.count))
            }
        }
    }

    // MARK: Text

    /// Appends text to the block being built (opening one at its first visible character):
    /// white space collapsed, no-break spaces as spaces, control characters dropped; counts
    /// its words, link words, sentence ends and commas.
    private mutating func appendText(_ content: UnsafeBufferPointer<UInt8>) {
        var text: [UInt8] = []
        swap(&text, &tree.text)
        var b = block
        let inLink = linkDepth > 0
        defer {
            swap(&text, &tree.text)
            block = b
        }
        var i = 0
        let n = content.count
        while i < n {
            let c = content[i]
            i += 1
            if c == 0x20 || c == 0x0A || c == 0x09 || c == 0x0D || c == 0x0C {
                b.pendingSpace = true
                b.inWord = false
                continue
            }
            if c == 0xC2, i < n, content[i] == 0xA0 {  // no-break space
                i += 1
                b.pendingSpace = true
                b.inWord = false
                continue
            }
            if c < 0x20 || c == 0x7F { continue }
            if b.start < 0 {
                if !text.isEmpty { text.append(0x0A) }
                b.start = text.count
                owner = stack.last ?? 0
                ownerDepth = stack.count - 1
                lowWater = ownerDepth
                b.pendingSpace = false
            } else {
                if lowWater < ownerDepth, lowWater >= 0 {
                    ownerDepth = lowWater
                    owner = stack[lowWater]
                }
                if b.pendingSpace {
                    if Self.endsSentence(text) { b.sentenceEnds += 1 }
                    text.append(0x20)
                    b.pendingSpace = false
                }
            }
            lowWater = stack.count - 1
            var startsWord = false
            if c < 0x80 {
                if ((c | 0x20) &- 0x61) < 26 || (c &- 0x30) < 10 {
                    if !b.inWord, (c | 0x20) &- 0x61 < 26 {
                        b.latinWords += 1
                        if c >= 0x61 { b.lowerWords += 1 }
                    }
                    startsWord = true
                } else {
                    b.inWord = false
                    if c == 0x2C { b.commas += 1 }
                }
            } else if c >= 0xC0 {
                // Latin-1 punctuation (C2) and general punctuation (E2: dashes, quote marks) end a word.
                if c == 0xC2 || c == 0xE2 { b.inWord = false } else { startsWord = true }
            }
            if startsWord, !b.inWord {
                b.words += 1
                if inLink { b.linkWords += 1 }
                b.inWord = true
            }
            text.append(c)
        }
    }

    /// Whether the text ends in `.`, `!` or `?`, perhaps inside a closing quote.
    static func endsSentence(_ t: [UInt8]) -> Bool {
        guard let last = t.last else { return false }
        var c = last
        if c == 0x22 || c == 0x27 || c == 0x29, t.count >= 2 { c = t[t.count - 2] }
        else if t.count >= 4, t[t.count - 3] == 0xE2, t[t.count - 2] == 0x80, last == 0x9D || last == 0x99 { c = t[t.count - 4] }
        return c == 0x2E || c == 0x21 || c == 0x3F
    }

    /// Ends the block being built.
    mutating func flush() {
        block.pendingSpace = false
        block.inWord = false
        guard block.start >= 0 else { return }
        if Self.endsSentence(tree.text) { block.sentenceEnds += 1 }
        let b = block
        tree.blocks.append(PageTree.Block(
            start: Int32(b.start), end: Int32(tree.text.count), owner: owner, words: b.words, linkWords: b.linkWords,
            sentenceEnds: b.sentenceEnds, commas: b.commas, lowerWords: b.lowerWords, latinWords: b.latinWords))
        block = BlockState()
    }
}
