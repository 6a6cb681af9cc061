import QuotewireModels

/// A page's article: its body paragraphs and what the page says about it.
public struct ExtractedPage: Sendable, Equatable {
    /// The body, one paragraph (or list item, or block quotation) per element; no headline,
    /// captions, bylines or page furniture.
    public var paragraphs: [String]
    public var metadata: PageMetadata
    /// Whether the page has any text at all, shown or in its structured data (a page without
    /// any is not an article).
    public var hasText: Bool

    public init(paragraphs: [String] = [], metadata: PageMetadata = PageMetadata(), hasText: Bool = false) {
        self.paragraphs = paragraphs
        self.metadata = metadata
        self.hasText = hasText
    }
}

/// HTML in, the article out: libxml2 parses the page (``HTMLReader``), its events flatten
/// it (``PageTree``), the structured data and the tree's shape choose the body
/// (``ContentSelector``), and the markup gives the metadata (``MetadataReader``).
///
/// Pure and thread-safe; each call owns its document.
///
/// ```swift
/// let page = try PageExtractor.extract(bytes: html, contentType: "text/html; charset=iso-8859-1")
/// let article = QuoteParser().parse(body: page.paragraphs, metadata: page.metadata, articleId: id)
/// ```
public enum PageExtractor {
    /// The article of a page given as text.
    public static func extract(_ html: String) -> ExtractedPage {
        var copy = html
        return copy.withUTF8 { extract(utf8: $0) }
    }

    /// The article of a page given as bytes in its own charset (``PageCharset``).
    /// - Parameter contentType: the HTTP `Content-Type` value, when known.
    /// - Throws: ``PageDecodingError`` when the bytes cannot be read as text.
    public static func extract(bytes: UnsafeBufferPointer<UInt8>, contentType: String? = nil) throws(PageDecodingError) -> ExtractedPage {
        try PageCharset.withUTF8(bytes, contentType: contentType) { b throws(PageDecodingError) in extract(utf8: b) }
    }

    /// The bytes must be valid UTF-8.
    static func extract(utf8 bytes: UnsafeBufferPointer<UInt8>) -> ExtractedPage {
        guard let tree = PageTree(utf8: bytes) else { return ExtractedPage() }
        return extract(tree)
    }

    static func extract(_ tree: PageTree) -> ExtractedPage {
        guard !tree.blocks.isEmpty || !tree.signals.jsonLD.isEmpty || tree.signals.title != nil else { return ExtractedPage() }
        let linkedData = LinkedDataArticle.find(in: tree.signals.jsonLD)
        let structuredBody = linkedData?.body.map(bodyParagraphs) ?? []
        let confirmed = confirmedBlocks(tree, structuredBody)
        var selection = ContentSelector(tree: tree, confirmed: confirmed).select()
        var paragraphs = selection.blocks.map { tree.string(tree.blocks[$0]) }
        let words = selection.blocks.reduce(0) { $0 + Int(tree.blocks[$1].words) }
        let structuredWords = structuredBody.reduce(0) { $0 + $1.split(separator: " ").count }
        if structuredWords > words, structuredWords >= 30 || words == 0 {
            // The page's structured data holds more of the article than its markup shows.
            paragraphs = structuredBody
        } else if words < 15 {
            let fallback = Self.fallback(tree)
            if fallback.words > words {
                paragraphs = fallback.blocks.map { tree.string(tree.blocks[$0]) }
                selection.roots = [0]
            }
        }
        let metadata = MetadataReader(tree: tree, linkedData: linkedData, roots: selection.roots).metadata()
        return ExtractedPage(paragraphs: paragraphs, metadata: metadata, hasText: !tree.blocks.isEmpty || !paragraphs.isEmpty)
    }

    /// A structured-data body as paragraphs: markup in it read as HTML, else its lines.
    static func bodyParagraphs(_ body: String) -> [String] {
        if body.contains("<"), body.contains(">") {
            var copy = body
            let tree = copy.withUTF8 { b in PageTree(utf8: b) }
            if let tree, !tree.blocks.isEmpty { return tree.blocks.map { tree.string($0) } }
        }
        return body.split(whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\u{2029}" })
            .map { $0.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ") }
            .filter { !$0.isEmpty }
    }

    /// Which blocks show the structured-data body: half their shingles or more are in it.
    static func confirmedBlocks(_ tree: PageTree, _ body: [String]) -> [Bool]? {
        guard !body.isEmpty else { return nil }
        var known: Set<UInt64> = []
        for paragraph in body {
            var p = paragraph
            p.withUTF8 { for s in WordShingles.shingles(WordShingles.words($0)) { known.insert(s) } }
        }
        guard known.count >= 20 else { return nil }
        return tree.text.withUnsafeBufferPointer { text in
            tree.blocks.map { block in
                let shingles = WordShingles.shingles(WordShingles.words(UnsafeBufferPointer(rebasing: text[Int(block.start)..<Int(block.end)])))
                guard shingles.count >= 2 else { return false }
                return shingles.filter { known.contains($0) }.count * 2 >= shingles.count
            }
        }
    }

    /// Every prose block outside marked boilerplate, else every block: for pages whose shape
    /// names no article.
    static func fallback(_ tree: PageTree) -> (blocks: [Int], words: Int) {
        let selector = ContentSelector(tree: tree, confirmed: nil)
        var boilerplate = [Bool](repeating: false, count: tree.elements.count)
        for (e, element) in tree.elements.enumerated() {
            boilerplate[e] = element.hint.isBoilerplate || (element.parent >= 0 && boilerplate[Int(element.parent)])
        }
        var prose = tree.blocks.indices.filter { selector.isProse(tree.blocks[$0]) && !boilerplate[Int(tree.blocks[$0].owner)] }
        if prose.isEmpty { prose = tree.blocks.indices.filter { selector.isProse(tree.blocks[$0]) } }
        if prose.isEmpty { prose = Array(tree.blocks.indices) }
        return (prose, prose.reduce(0) { $0 + Int(tree.blocks[$1].words) })
    }
}
