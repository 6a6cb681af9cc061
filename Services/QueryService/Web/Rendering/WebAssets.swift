import Mustache

/// The pages' templates, stylesheet and script, compiled into the binary from `Web/Assets`
/// (SwiftPM's `embedInCode`): nothing is read from disk, so the executable serves its pages
/// wherever it is copied.
enum WebAssets {
    /// Every template by the name pages and partials use.
    static let templates: [String: [UInt8]] = [
        "header": PackageResources.header_mustache, "footer": PackageResources.footer_mustache,
        "segments": PackageResources.segments_mustache, "hit": PackageResources.hit_mustache,
        "chart": PackageResources.chart_mustache, "home": PackageResources.home_mustache,
        "search": PackageResources.search_mustache, "speaker": PackageResources.speaker_mustache,
        "quotation": PackageResources.quotation_mustache, "article": PackageResources.article_mustache,
        "ticker": PackageResources.ticker_mustache, "error": PackageResources.error_mustache,
        "login": PackageResources.login_mustache,
    ]

    static let stylesheet = PackageResources.site_css
    static let script = PackageResources.site_js
    static let icon = PackageResources.icon_svg

    /// The templates parsed into one library (partials find each other by name).
    /// - Throws: the parser's error, naming the template, when one does not parse.
    static func library() throws -> MustacheLibrary {
        var library = MustacheLibrary()
        for (name, bytes) in templates {
            do {
                try library.register(String(decoding: bytes, as: UTF8.self), named: name)
            } catch {
                throw WebTemplateError(template: name, underlying: "\(error)")
            }
        }
        return library
    }
}

/// A template that does not parse (a build with a broken template fails its first test).
struct WebTemplateError: Error, CustomStringConvertible {
    var template: String
    var underlying: String
    var description: String { "the template \(template) does not parse: \(underlying)" }
}
