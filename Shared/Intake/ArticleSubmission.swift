import Foundation
import PageExtraction
import QuotewireModels

/// Turns what a submitter sent (bytes, a media type, optional metadata) into a `RawArticle`,
/// checking it on the way: size, UTF-8, not blank, valid JSON, valid fields.
///
/// Three body forms are read:
/// - `text/plain`: the article text;
/// - `text/html`: the page, in UTF-8 or the charset its content type, byte-order mark or
///   `<meta>` names (``PageCharset``), kept as received but for that conversion to UTF-8;
/// - `application/json`: `{"text"|"html": "…", "url": "…", "source": "…", "publishedAt": "…"}`,
///   plus `"id": "…"` when ``acceptsID`` is set.
///
/// Text that is an HTML page by its content (``HTMLDetection``) is taken as HTML whatever form
/// it came in; a page must show some text.
///
/// ```swift
/// let article = try ArticleSubmission(mediaType: "text/plain; charset=utf-8")
///     .article(from: bytes, receivedAt: Date())
/// ```
public struct ArticleSubmission: Sendable {
    /// The body form, from the media type.
    public enum Form: Sendable, Equatable {
        case text
        case html
        case json
    }

    public var form: Form
    /// The charset the media type names, read for HTML bodies (other forms must be UTF-8).
    public var charset: String?
    /// Metadata given beside the body (query parameters, CLI flags); a JSON body's own fields win.
    public var url: String?
    public var source: String?
    public var publishedAt: String?
    /// Whether a JSON body's `"id"` names the article instead of the derived id. Off by
    /// default: the HTTP API derives every id, and there `id` is skipped as an unknown key.
    /// `quotewire publish` turns it on for dumps that carry their own ids.
    public var acceptsID = false
    /// The largest body accepted, in bytes.
    public var maxBodyBytes: Int
    /// The longest explicit id accepted, in UTF-8 bytes (a derived id is 32).
    public static let maxIDBytes = 128

    public init(form: Form, url: String? = nil, source: String? = nil, publishedAt: String? = nil,
                maxBodyBytes: Int = WireLimits.maxArticleBytes) {
        self.form = form
        self.url = url
        self.source = source
        self.publishedAt = publishedAt
        self.maxBodyBytes = maxBodyBytes
    }

    /// A submission whose form comes from a `Content-Type` value. No value means plain text.
    /// - Throws: ``SubmissionError`` (`unsupportedMediaType`) for other types, or a charset other
    ///   than UTF-8 for a body that is not HTML.
    public init(mediaType: String?, maxBodyBytes: Int = WireLimits.maxArticleBytes) throws(SubmissionError) {
        self.init(form: try Self.form(ofMediaType: mediaType), maxBodyBytes: maxBodyBytes)
        charset = mediaType.flatMap(PageCharset.charset(ofMediaType:))
    }

    /// The form for a file name: `.html`/`.htm` are HTML, `.json` the JSON form, anything else text.
    public static func form(ofFileNamed name: String) -> Form {
        switch (name as NSString).pathExtension.lowercased() {
        case "html", "htm": .html
        case "json": .json
        default: .text
        }
    }

    /// The form for a `Content-Type` header value.
    public static func form(ofMediaType mediaType: String?) throws(SubmissionError) -> Form {
        guard let mediaType, !mediaType.trimmingCharacters(in: .whitespaces).isEmpty else { return .text }
        let parts = mediaType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        let type = parts.first?.lowercased() ?? ""
        let isHTML = type == "text/html" || type == "application/xhtml+xml"
        for parameter in parts.dropFirst() where !isHTML {
            let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, pair[0].lowercased() == "charset" else { continue }
            let charset = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"")).lowercased()
            guard ["utf-8", "utf8", "us-ascii"].contains(charset) else {
                throw SubmissionError(.unsupportedMediaType, "only UTF-8 bodies are accepted, not charset \(charset.prefix(100))")
            }
        }
        switch type {
        case "text/plain": return .text
        case "text/html", "application/xhtml+xml": return .html
        case "application/json": return .json
        default:
            throw SubmissionError(
                .unsupportedMediaType,
                "unsupported Content-Type \(type.prefix(100)): send text/plain, text/html or application/json")
        }
    }

    /// Checks the body and builds the raw article, its id derived as DESIGN.md says.
    /// - Throws: ``SubmissionError`` saying what is wrong with the body or a field.
    public func article(from body: some Collection<UInt8>, receivedAt: Date = Date()) throws(SubmissionError) -> RawArticle {
        guard body.count <= maxBodyBytes else {
            throw SubmissionError(.tooLarge, "the body is \(body.count) bytes; the limit is \(maxBodyBytes)")
        }
        if form == .html || (form == .text && Self.looksLikeHTML(body)) {
            let page = try Self.pageText(Array(body), charset: charset)
            return try make(body: page, contentType: .html, url: url, source: source, publishedAt: publishedAt, receivedAt: receivedAt)
        }
        // The standard library's check is the fast one; the byte-wise one only says where it failed.
        guard let text = String(validating: body, as: UTF8.self) else {
            let offset = UTF8Validation.firstInvalidOffset(in: body).map(String.init) ?? "?"
            throw SubmissionError(.invalidUTF8, "the body is not valid UTF-8 (first bad byte at offset \(offset))")
        }
        switch form {
        case .text, .html:  // (HTML was taken above)
            return try make(body: text, contentType: .plainText, url: url, source: source, publishedAt: publishedAt, receivedAt: receivedAt)
        case .json:
            let request = try ArticleJSONRequest.decode(body, readingID: acceptsID)
            var (content, contentType) = try request.content()
            if contentType == .plainText, Self.looksLikeHTML(content.utf8) {
                contentType = .html
            }
            var article = try make(
                body: content, contentType: contentType, url: request.url ?? url, source: request.source ?? source,
                publishedAt: request.publishedAt ?? publishedAt, receivedAt: receivedAt)
            if let id = request.id {
                article.articleId = try Self.checkedID(id)
            }
            return article
        }
    }

    /// An explicit id as given, once it is known to be usable as a record key and on an
    /// `ID  NAME` output line: not empty, at most ``maxIDBytes`` bytes, no white space and no
    /// control or bidirectional-override characters.
    /// - Throws: ``SubmissionError`` (`invalidField`) saying which rule the id breaks.
    public static func checkedID(_ id: String) throws(SubmissionError) -> String {
        guard !id.isEmpty else { throw SubmissionError(.invalidField, "id must not be empty") }
        guard id.utf8.count <= maxIDBytes else {
            throw SubmissionError(.invalidField, "id is \(id.utf8.count) bytes; the limit is \(maxIDBytes)")
        }
        if let bad = id.unicodeScalars.first(where: { scalar in
            scalar.properties.isWhitespace || scalar.properties.generalCategory == .control
                || (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value)
        }) {
            let code = String(bad.value, radix: 16, uppercase: true)
            throw SubmissionError(
                .invalidField, "id must not contain white space or control characters (found U+\(String(repeating: "0", count: max(0, 4 - code.count)) + code))")
        }
        return id
    }

    /// Whether text is an HTML page by its content (``HTMLDetection``), read in place when it can be.
    static func looksLikeHTML(_ bytes: some Collection<UInt8>) -> Bool {
        bytes.withContiguousStorageIfAvailable(HTMLDetection.looksLikeHTML)
            ?? Array(bytes).withUnsafeBufferPointer(HTMLDetection.looksLikeHTML)
    }

    /// An HTML page as UTF-8 text, once it is known to show some text.
    /// - Throws: ``SubmissionError``: `invalidUTF8` when the bytes cannot be read in the charset
    ///   they name (or in UTF-8 when they name none), `unsupportedMediaType` for a charset this
    ///   system cannot convert.
    static func pageText(_ bytes: [UInt8], charset: String?) throws(SubmissionError) -> String {
        do {
            return try bytes.withUnsafeBufferPointer { b throws(PageDecodingError) in
                try PageCharset.string(b, contentType: charset.map { "text/html; charset=\($0)" })
            }
        } catch {
            throw SubmissionError(error.kind == .unknownCharset ? .unsupportedMediaType : .invalidUTF8, error.message)
        }
    }

    private func make(
        body: String, contentType: ContentType, url: String?, source: String?, publishedAt: String?, receivedAt: Date
    ) throws(SubmissionError) -> RawArticle {
        guard body.contains(where: { !$0.isWhitespace }) else {
            throw SubmissionError(.empty, "the article body is empty or only whitespace")
        }
        if contentType == .html, !PageExtractor.extract(body).hasText {
            throw SubmissionError(.empty, "the HTML page shows no text to take an article from")
        }
        let url = url.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        if let url {
            guard ArticleID.canonicalURL(url) != nil else {
                throw SubmissionError(.invalidField, "url must be an absolute URL like https://example.org/page (got \"\(url.prefix(200))\")")
            }
        }
        var date: Date?
        if let publishedAt, !publishedAt.trimmingCharacters(in: .whitespaces).isEmpty {
            guard let parsed = PublishedDate.parse(publishedAt) else { throw PublishedDate.error(publishedAt) }
            date = parsed
        }
        let source = source.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        return RawArticle.make(
            body: body, contentType: contentType, url: url, source: source, publishedAt: date, receivedAt: receivedAt)
    }
}
