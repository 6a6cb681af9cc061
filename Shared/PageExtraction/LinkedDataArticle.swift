import Foundation

/// The article a page describes in its JSON-LD (`<script type="application/ld+json">`):
/// the schema.org `Article` kinds (`NewsArticle`, `ReportageNewsArticle`, `BlogPosting`, …),
/// found at the top, in arrays and in `@graph`, with `@id` references resolved.
struct LinkedDataArticle: Equatable {
    var headline: String?
    var body: String?
    var authors: [String] = []
    var publisher: String?
    var datePublished: String?
    var url: String?

    /// The article of the page's scripts (the one with the longest body, else the first), or nil.
    static func find(in scripts: [String]) -> LinkedDataArticle? {
        var objects: [[String: Any]] = []
        for script in scripts {
            guard let value = parse(script) else { continue }
            collect(value, into: &objects, depth: 0)
        }
        var byID: [String: [String: Any]] = [:]
        for object in objects {
            if let id = object["@id"] as? String, byID[id] == nil { byID[id] = object }
        }
        let articles = objects.filter { isArticle($0["@type"]) }
        guard !articles.isEmpty else { return nil }
        let best = articles.max { bodyLength($0) < bodyLength($1) } ?? articles[0]
        let chosen = bodyLength(best) > 0 ? best : articles[0]
        var article = LinkedDataArticle()
        article.headline = text(chosen["headline"]) ?? text(chosen["name"])
        article.body = text(chosen["articleBody"])
        article.authors = names(chosen["author"], byID)
        article.publisher = names(chosen["publisher"], byID).first
        article.datePublished = text(chosen["datePublished"]) ?? text(chosen["dateCreated"])
        article.url = text(chosen["url"]) ?? (chosen["mainEntityOfPage"] as? String)
            ?? ((chosen["mainEntityOfPage"] as? [String: Any]).flatMap { text($0["@id"]) })
        return article
    }

    /// A script's JSON, tolerating what pages wrap it in (HTML comments, CDATA markers).
    private static func parse(_ script: String) -> Any? {
        var s = script.trimmingCharacters(in: .whitespacesAndNewlines)
        for (open, close) in [("<!--", "-->"), ("//<![CDATA[", "//]]>"), ("/*<![CDATA[*/", "/*]]>*/"), ("<![CDATA[", "]]>")] {
            if s.hasPrefix(open) { s.removeFirst(open.count) }
            if s.hasSuffix(close) { s.removeLast(close.count) }
        }
        guard let data = s.data(using: .utf8) else { return nil }
        return try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
    }

    private static func collect(_ value: Any, into objects: inout [[String: Any]], depth: Int) {
        guard depth < 6 else { return }
        if let array = value as? [Any] {
            for element in array { collect(element, into: &objects, depth: depth + 1) }
        } else if let object = value as? [String: Any] {
            objects.append(object)
            if let graph = object["@graph"] { collect(graph, into: &objects, depth: depth + 1) }
            if let main = object["mainEntity"] as? [String: Any] { collect(main, into: &objects, depth: depth + 1) }
        }
    }

    private static let articleTypes: Set<String> = [
        "Article", "NewsArticle", "ReportageNewsArticle", "AnalysisNewsArticle", "OpinionNewsArticle",
        "BackgroundNewsArticle", "ReviewNewsArticle", "AskPublicNewsArticle", "BlogPosting", "LiveBlogPosting",
        "SocialMediaPosting", "Report", "TechArticle", "ScholarlyArticle", "SatiricalArticle", "Posting",
    ]

    private static func isArticle(_ type: Any?) -> Bool {
        if let t = type as? String { return articleTypes.contains(t.replacingOccurrences(of: "schema:", with: "")) }
        if let ts = type as? [Any] { return ts.contains { isArticle($0) } }
        return false
    }

    private static func bodyLength(_ object: [String: Any]) -> Int { (object["articleBody"] as? String)?.utf8.count ?? 0 }

    /// A non-empty string, or the first of an array of them.
    private static func text(_ value: Any?) -> String? {
        if let s = value as? String {
            let t = s.trimmingCharacters(in: .whitespacesAndNewlines)
            return t.isEmpty ? nil : t
        }
        if let a = value as? [Any] { return a.lazy.compactMap { text($0) }.first }
        return nil
    }

    /// The names of a person or organisation value: a string, an object with a name, an `@id`
    /// reference, or an array of those.
    private static func names(_ value: Any?, _ byID: [String: [String: Any]], depth: Int = 0) -> [String] {
        guard depth < 3, let value else { return [] }
        if let s = text(value), !(value is [Any]) { return s.hasPrefix("http") ? [] : [s] }
        if let a = value as? [Any] { return a.flatMap { names($0, byID, depth: depth + 1) } }
        if let o = value as? [String: Any] {
            if let name = text(o["name"]) { return [name] }
            if let id = o["@id"] as? String, let target = byID[id], target["@id"] as? String == id, target.count > 1 {
                return names(target, byID, depth: depth + 1)
            }
        }
        return []
    }
}
