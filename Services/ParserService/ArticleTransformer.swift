import Foundation
import PageExtraction
import QuoteParser
import QuotewireKafka
import QuotewireModels

/// What the parser stage makes of one `articles.raw` record.
public enum ParseOutcome: Sendable, Equatable {
    /// A parsed article (or a tombstone) for `quotes.parsed`.
    case publish(OutgoingMessage)
    /// The record cannot be handled; the reason goes with it to the dead-letter topic.
    case reject(reason: String)
}

/// Turns a raw-article record into a parsed-article record. Pure: no I/O.
public struct ArticleTransformer: Sendable {
    let parser = QuoteParser()
    let outputTopic: String

    public init(outputTopic: String = Topics.quotesParsed) {
        self.outputTopic = outputTopic
    }

    public func transform(_ message: KafkaMessage) -> ParseOutcome {
        guard let value = message.value else {
            // A tombstone deletes the article all the way down.
            guard let key = message.key, !key.isEmpty else {
                return .reject(reason: "a tombstone without a key names no article")
            }
            return .publish(OutgoingMessage(topic: outputTopic, key: key, value: nil))
        }
        let raw: RawArticle
        do {
            raw = try WireCoding.decode(RawArticle.self, from: value)
        } catch {
            return .reject(reason: "\(error)")
        }
        if let key = message.keyString, key != raw.articleId {
            return .reject(reason: "the record key \(key.prefix(100)) is not the article id \(raw.articleId.prefix(100))")
        }
        guard !raw.articleId.isEmpty else {
            return .reject(reason: "the article has an empty articleId")
        }
        guard let parsed = parse(raw) else {
            return .reject(reason: "the HTML page has no text to take an article from")
        }
        return .publish(OutgoingMessage(topic: outputTopic, key: raw.articleId, value: Data(ParsedArticleJSONWriter.data(parsed))))
    }

    /// The parsed article of a raw one: of an HTML page, its article's body and metadata
    /// (``PageExtractor``); nil for a page that shows no text at all.
    public func parse(_ raw: RawArticle) -> ParsedArticle? {
        var parsed: ParsedArticle
        switch raw.contentType {
        case .html:
            let page = PageExtractor.extract(raw.body)
            guard page.hasText else { return nil }
            parsed = parser.parse(body: page.paragraphs, metadata: page.metadata, articleId: raw.articleId, url: raw.url,
                                  publishedAt: raw.publishedAt, receivedAt: raw.receivedAt)
        case .plainText:
            parsed = parser.parse(raw.body, articleId: raw.articleId, url: raw.url, publishedAt: raw.publishedAt,
                                  receivedAt: raw.receivedAt)
        }
        if let source = raw.source, !source.isEmpty {
            parsed.source = source
        }
        return parsed
    }
}
