import Foundation
import QuotewireModels

/// Makes a page's ``PageMetadata`` from its signals, the structured data first:
/// - headline: `og:title`, JSON-LD `headline`, `twitter:title`, the article's `<h1>`, `<title>` without the site's name;
/// - outlet: `og:site_name`, JSON-LD `publisher`, `application-name`;
/// - byline: author `<meta>`s, JSON-LD `author`, `rel=author` and `itemprop=author` elements, a byline element in the article;
/// - published time: `article:published_time` and other date `<meta>`s, JSON-LD `datePublished`, `<time datetime>`;
/// - canonical URL: `<link rel=canonical>`, `og:url`, JSON-LD `url` (absolute http(s) only).
struct MetadataReader {
    let tree: PageTree
    let linkedData: LinkedDataArticle?
    /// The elements around the body: captions, bylines and times inside them come first.
    let regions: [Int32]

    /// - Parameter roots: the elements the body was taken from.
    init(tree: PageTree, linkedData: LinkedDataArticle?, roots: [Int32]) {
        self.tree = tree
        self.linkedData = linkedData
        self.regions = roots.map { Self.region(around: $0, in: tree) }
    }

    /// The `<article>` or `<main>` holding a body root (at most three levels up), else its parent:
    /// where the article's own header, figures and byline are.
    static func region(around root: Int32, in tree: PageTree) -> Int32 {
        var e = root
        for _ in 0...3 {
            guard e >= 0 else { break }
            let tag = tree.elements[Int(e)].tag
            if tag == .article || tag == .main { return e }
            e = tree.elements[Int(e)].parent
        }
        return max(0, tree.elements.isEmpty ? 0 : tree.elements[Int(root)].parent)
    }

    func metadata() -> PageMetadata {
        let signals = tree.signals
        var outlet = clean(signals.metas["og:site_name"]) ?? clean(linkedData?.publisher) ?? clean(signals.metas["application-name"])
        let title = clean(signals.title).map { withoutSiteName($0, outlet: outlet) }
        if outlet == nil { outlet = title?.site }
        return PageMetadata(
            headline: headline(outlet: outlet, title: title?.headline), outlet: outlet, byline: byline(),
            publishedAt: published(), canonicalURL: canonical(), captions: captions())
    }

    private func inRegion(_ element: Int32) -> Bool {
        regions.contains { tree.isInside(element, $0) }
    }

    // MARK: Headline

    private func headline(outlet: String?, title: String?) -> String? {
        let signals = tree.signals
        for candidate in [signals.metas["og:title"], linkedData?.headline, signals.metas["twitter:title"]] {
            if let h = clean(candidate) { return withoutSiteName(h, outlet: outlet).headline }
        }
        let headings = signals.captures.filter { $0.kind == .heading }
        let inArticle = headings.first { inRegion($0.element) }
        if let h = inArticle.flatMap({ clean(tree.captureText($0)) }) { return h }
        if let title {
            // An <h1> that shares most of its words with the title (a site's logo in an <h1> does not).
            let titleWords = Set(title.lowercased().split { !$0.isLetter && !$0.isNumber })
            for h in headings {
                guard let text = clean(tree.captureText(h)) else { continue }
                let words = text.lowercased().split { !$0.isLetter && !$0.isNumber }
                guard words.count >= 3 else { continue }
                if Double(words.filter { titleWords.contains($0) }.count) >= 0.6 * Double(words.count) { return text }
            }
            return title
        }
        return headings.lazy.compactMap { clean(self.tree.captureText($0)) }.first
    }

    /// A title without the site's name before or after it (`Headline | Site`, `Site - Headline`):
    /// the outlet's name when it is known, else the part of most words when the rest have four
    /// or fewer; and the
    /// site's name when the title has exactly one other part.
    func withoutSiteName(_ title: String, outlet: String?) -> (headline: String, site: String?) {
        for separator in [" | ", " - ", " – ", " — ", " :: ", " » ", " · "] {
            let parts = title.components(separatedBy: separator).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count >= 2 else { continue }
            if let outlet {
                let o = outlet.lowercased()
                let kept = parts.filter { $0.lowercased() != o && !o.contains($0.lowercased()) }
                if kept.count < parts.count, !kept.isEmpty { return (kept.joined(separator: separator), outlet) }
            }
            guard parts.count <= 4 else { return (title, nil) }
            func words(_ s: String) -> Int { s.split { !$0.isLetter && !$0.isNumber }.count }
            let longest = parts.max { words($0) < words($1) } ?? title
            let others = parts.filter { $0 != longest }
            // Only when the rest is short enough to be a site's or section's name.
            if others.allSatisfy({ words($0) <= 4 }), words(longest) >= 3 {
                let site = others.count == 1 && (parts.first == others[0] || parts.last == others[0]) ? others[0] : nil
                return (longest, site)
            }
            return (title, nil)
        }
        return (title, nil)
    }

    // MARK: Byline

    private func byline() -> String? {
        let metas = tree.signals.metas
        for key in ["author", "byl", "article:author", "dc.creator", "dcterms.creator", "sailthru.author", "parsely-author"] {
            if let value = clean(metas[key]), !value.hasPrefix("http"), value.count <= 120 { return withoutBy(value) }
        }
        if let authors = linkedData?.authors, !authors.isEmpty { return withoutBy(authors.joined(separator: ", ")) }
        let captures = tree.signals.captures
        for kind in [PageSignals.Capture.Kind.author, .byline] {
            let ofKind = captures.filter { $0.kind == kind }
            let ordered = ofKind.filter { inRegion($0.element) } + ofKind
            for c in ordered {
                guard let text = clean(tree.captureText(c)), text.count <= 100 else { continue }
                let name = withoutBy(text)
                if name.split(separator: " ").count <= 8 { return name }
            }
        }
        return nil
    }

    private func withoutBy(_ s: String) -> String {
        let lower = s.lowercased()
        for prefix in ["by ", "by: ", "von ", "par "] where lower.hasPrefix(prefix) {
            return String(s.dropFirst(prefix.count)).trimmingCharacters(in: .whitespaces)
        }
        return s
    }

    // MARK: Time

    private func published() -> Date? {
        let metas = tree.signals.metas
        for key in ["article:published_time", "og:article:published_time", "datepublished", "parsely-pub-date",
                    "sailthru.date", "cxenseparse:recs:publishtime", "pubdate", "publishdate", "publish-date",
                    "publication_date", "dc.date.issued", "dcterms.date", "dc.date", "date"] {
            if let value = metas[key], let date = PageDate.parse(value) { return date }
        }
        if let value = linkedData?.datePublished, let date = PageDate.parse(value) { return date }
        let times = tree.signals.times
        let ordered = times.filter { inRegion($0.element) } + times
        return ordered.lazy.compactMap { PageDate.parse($0.value) }.first
    }

    // MARK: Canonical URL

    private func canonical() -> String? {
        for candidate in [tree.signals.canonical, tree.signals.metas["og:url"], linkedData?.url] {
            guard let url = clean(candidate) else { continue }
            let lower = url.lowercased()
            if lower.hasPrefix("http://") || lower.hasPrefix("https://") { return url }
        }
        return nil
    }

    // MARK: Captions

    private func captions() -> [String] {
        var seen: Set<String> = []
        var out: [String] = []
        for c in tree.signals.captures where c.kind == .caption {
            guard inRegion(c.element), let text = clean(tree.captureText(c)),
                  text.count >= 3, seen.insert(text).inserted else { continue }
            out.append(text)
            if out.count == 20 { break }
        }
        return out
    }

    /// One line with single spaces, or nil when empty.
    func clean(_ s: String?) -> String? {
        guard let s else { return nil }
        let collapsed = s.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        return collapsed.isEmpty ? nil : collapsed
    }
}

extension PageTree {
    /// A capture's text: a caption's blocks (its text, its credit) joined with " / ", as plain
    /// text writes a caption and its credit, leaving out links and single words ("View gallery",
    /// "Next »");
    /// other captures' blocks with spaces.
    func captureText(_ c: PageSignals.Capture) -> String {
        guard c.kind == .caption else { return string(c.text) }
        return blocks.filter { Int($0.start) >= c.text.lowerBound && Int($0.end) <= c.text.upperBound && $0.words >= 2 && $0.linkWords * 2 <= $0.words }
            .map { string($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            .joined(separator: " / ")
    }
}
