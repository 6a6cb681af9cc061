import CLibXML2

/// A page flattened for extraction in one walk over libxml2's tree: its elements in document
/// order, its visible text as blocks (the runs between block-level boundaries, white space
/// collapsed), and what its markup says about the article (``PageSignals``).
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

    /// Builds the tree of a parsed document.
    init(_ document: HTMLDocument) {
        var builder = PageTreeBuilder()
        builder.walk(document.document)
        self = builder.tree
    }

    init() {}
}

/// The walk that builds a ``PageTree``: iterative (a page may nest elements thousands deep),
/// one visit per node.
private struct PageTreeBuilder {
    var tree = PageTree()
    /// The open elements' indices, outermost first.
    var stack: [Int32] = []
    var linkDepth = 0
    var tags: [UnsafeRawPointer: HTMLTag] = [:]

    // The block being built.
    var blockStart = -1
    var owner: Int32 = -1
    var ownerDepth = 0
    /// The shallowest stack depth since the last text: where the block's owner may have to rise to.
    var lowWater = 0
    var pendingSpace = false
    var inWord = false
    var words: Int32 = 0
    var linkWords: Int32 = 0
    var sentenceEnds: Int32 = 0
    var commas: Int32 = 0
    var lowerWords: Int32 = 0
    var latinWords: Int32 = 0

    /// Elements whose text is wanted as a whole (h1, time, byline, caption): their start in `text`.
    var captures: [(element: Int32, kind: PageSignals.Capture.Kind, start: Int)] = []

    /// Walks everything under the document node (a broken page can have more than one top-level element).
    mutating func walk(_ document: htmlDocPtr) {
        tree.text.reserveCapacity(1 << 14)
        let root = UnsafeMutableRawPointer(document).assumingMemoryBound(to: xmlNode.self)
        var node: xmlNodePtr? = document.pointee.children
        while let n = node {
            var descend = false
            switch n.pointee.type {
            case XML_ELEMENT_NODE:
                descend = open(n)
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let content = n.pointee.content { appendText(content) }
            default:
                break
            }
            if descend, let child = n.pointee.children {
                node = child
                continue
            }
            if descend { close() }
            // Up until a node has a next sibling, closing the elements left.
            var current = n
            node = nil
            while true {
                if let next = current.pointee.next {
                    node = next
                    break
                }
                // Only elements are descended into, so a parent is an element or the document.
                guard let parent = current.pointee.parent, parent != root else { break }
                current = parent
                close()
            }
        }
        flush()
        while !stack.isEmpty { close() }
    }

    /// Opens an element: records it and returns true, or reads what it says and returns false
    /// when its content is not page text.
    mutating func open(_ n: xmlNodePtr) -> Bool {
        let tag = tagOf(n)
        var attributes = ElementAttributes()
        attributes.read(n)
        if tag.isSkipped || attributes.hidden {
            readSkipped(n, tag, attributes)
            return false
        }
        var hint = attributes.hint
        if tag.isFurnitureElement { hint = max(hint, .furnitureElement) }
        if tag == .figcaption || tag == .caption { hint = max(hint, .caption) }
        let index = Int32(tree.elements.count)
        let element = PageTree.Element(tag: tag, hint: hint, parent: stack.last ?? -1, end: index + 1)
        if element.isBoundary { flush() }
        tree.elements.append(element)
        stack.append(index)
        if tag == .a, attributes.hasHref { linkDepth += 1 }
        if tag == .br || tag == .hr { flush() }
        noteSignals(index, tag, attributes)
        if tag == .title, tree.signals.title == nil { tree.signals.title = Self.textContent(n) }
        return true
    }

    /// Closes the innermost open element.
    mutating func close() {
        guard let index = stack.popLast() else { return }
        let i = Int(index)
        tree.elements[i].end = Int32(tree.elements.count)
        let tag = tree.elements[i].tag
        if tree.elements[i].isBoundary { flush() }
        if tag == .a, linkDepth > 0, isLink(index) { linkDepth -= 1 }
        if let last = captures.last, last.element == index {
            captures.removeLast()
            var start = last.start
            while start < tree.text.count, tree.text[start] == 0x20 { start += 1 }
            if start < tree.text.count {
                tree.signals.captures.append(.init(element: index, kind: last.kind, text: start..<tree.text.count))
            }
        }
        lowWater = min(lowWater, stack.count - 1)
    }

    private var linkElements: Set<Int32> = []

    private func isLink(_ index: Int32) -> Bool { linkElements.contains(index) }

    mutating func noteSignals(_ index: Int32, _ tag: HTMLTag, _ a: ElementAttributes) {
        if tag == .a, a.hasHref { linkElements.insert(index) }
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

    /// What a skipped element says: a JSON-LD script, a `<meta>` or `<link>`.
    mutating func readSkipped(_ n: xmlNodePtr, _ tag: HTMLTag, _ a: ElementAttributes) {
        switch tag {
        case .script:
            if a.isJSONLD, let json = Self.textContent(n, limit: 4 << 20) { tree.signals.jsonLD.append(json) }
        case .meta, .link:
            tree.signals.note(a)
        default:
            break
        }
    }

    mutating func tagOf(_ n: xmlNodePtr) -> HTMLTag {
        guard let name = n.pointee.name else { return .other }
        let key = UnsafeRawPointer(name)
        if let known = tags[key] { return known }
        let tag = HTMLTag(name: String(cString: name))
        tags[key] = tag
        return tag
    }

    /// The text of an element's text children (a title, a script), or nil when it has none.
    static func textContent(_ n: xmlNodePtr, limit: Int = 4096) -> String? {
        var bytes: [UInt8] = []
        var child = n.pointee.children
        while let c = child, bytes.count < limit {
            if c.pointee.type == XML_TEXT_NODE || c.pointee.type == XML_CDATA_SECTION_NODE, let content = c.pointee.content {
                var i = 0
                while content[i] != 0, bytes.count < limit {
                    bytes.append(content[i])
                    i += 1
                }
            }
            child = c.pointee.next
        }
        let s = C1Controls.replaced(in: String(decoding: bytes, as: UTF8.self))
        return s.isEmpty ? nil : s
    }

    // MARK: Text

    mutating func appendText(_ content: UnsafePointer<UInt8>) {
        // A title's own text is metadata; a broken page may nest the rest of itself in its <title>.
        if let top = stack.last, tree.elements[Int(top)].tag == .title { return }
        if C1Controls.occur(in: content) {
            let fixed = C1Controls.replaced(in: content)
            fixed.withUnsafeBufferPointer { appendText(runs: $0.baseAddress!) }
        } else {
            appendText(runs: content)
        }
    }

    private mutating func appendText(runs content: UnsafePointer<UInt8>) {
        var i = 0
        while true {
            let c = content[i]
            if c == 0 { break }
            i += 1
            if c == 0x20 || c == 0x0A || c == 0x09 || c == 0x0D || c == 0x0C {
                pendingSpace = true
                inWord = false
                continue
            }
            if c == 0xC2, content[i] == 0xA0 {  // no-break space
                i += 1
                pendingSpace = true
                inWord = false
                continue
            }
            if c < 0x20 || c == 0x7F { continue }
            if blockStart < 0 {
                if !tree.text.isEmpty { tree.text.append(0x0A) }
                blockStart = tree.text.count
                owner = stack.last ?? 0
                ownerDepth = stack.count - 1
                lowWater = ownerDepth
                pendingSpace = false
            } else {
                if lowWater < ownerDepth, lowWater >= 0 {
                    ownerDepth = lowWater
                    owner = stack[lowWater]
                }
                if pendingSpace {
                    noteSentenceEnd()
                    tree.text.append(0x20)
                    pendingSpace = false
                }
            }
            lowWater = stack.count - 1
            if c < 0x80 {
                if ((c | 0x20) &- 0x61) < 26 || (c &- 0x30) < 10 {
                    if !inWord, (c | 0x20) &- 0x61 < 26 {
                        latinWords += 1
                        if c >= 0x61 { lowerWords += 1 }
                    }
                    startWord()
                } else {
                    inWord = false
                    if c == 0x2C { commas += 1 }
                }
            } else if c >= 0xC0 {
                // Latin-1 punctuation (C2) and general punctuation (E2: dashes, quote marks) end a word.
                if c == 0xC2 || c == 0xE2 { inWord = false } else { startWord() }
            }
            tree.text.append(c)
        }
    }

    @inline(__always) mutating func startWord() {
        guard !inWord else { return }
        words += 1
        if linkDepth > 0 { linkWords += 1 }
        inWord = true
    }

    /// Counts a sentence end when the text so far ends in `.`, `!` or `?`, perhaps inside a closing quote.
    mutating func noteSentenceEnd() {
        let t = tree.text
        guard let last = t.last else { return }
        var c = last
        if c == 0x22 || c == 0x27 || c == 0x29, t.count >= 2 { c = t[t.count - 2] }
        else if t.count >= 4, t[t.count - 3] == 0xE2, t[t.count - 2] == 0x80, last == 0x9D || last == 0x99 { c = t[t.count - 4] }
        if c == 0x2E || c == 0x21 || c == 0x3F { sentenceEnds += 1 }
    }

    /// Ends the block being built.
    mutating func flush() {
        pendingSpace = false
        inWord = false
        guard blockStart >= 0 else { return }
        noteSentenceEnd()
        tree.blocks.append(PageTree.Block(
            start: Int32(blockStart), end: Int32(tree.text.count), owner: owner, words: words, linkWords: linkWords,
            sentenceEnds: sentenceEnds, commas: commas, lowerWords: lowerWords, latinWords: latinWords))
        blockStart = -1
        words = 0
        linkWords = 0
        sentenceEnds = 0
        commas = 0
        lowerWords = 0
        latinWords = 0
    }
}
