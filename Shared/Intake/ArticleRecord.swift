import Foundation
import QuotewireKafka
import QuotewireModels

/// The Kafka records that carry articles on `articles.raw`: keyed by article id, the value a
/// `RawArticle` in the wire JSON, or null to delete.
public enum ArticleRecord {
    /// The record publishing `article` to `topic`.
    /// - Throws: ``SubmissionError`` (`tooLarge`) when the encoded record would exceed
    ///   `maxMessageBytes`; an `EncodingError` cannot happen for a `RawArticle`, but is reported the same way.
    public static func message(
        for article: RawArticle, topic: String = Topics.articlesRaw, maxMessageBytes: Int = WireLimits.maxMessageBytes
    ) throws(SubmissionError) -> OutgoingMessage {
        let value: Data
        do {
            value = try WireCoding.encoder().encode(article)
        } catch {
            throw SubmissionError(.invalidField, "the article could not be encoded: \(error)")
        }
        guard value.count <= maxMessageBytes else {
            throw SubmissionError(.tooLarge, "the encoded article is \(value.count) bytes; messages are limited to \(maxMessageBytes)")
        }
        return OutgoingMessage(topic: topic, key: article.articleId, value: value)
    }

    /// A tombstone: the article leaves every downstream store.
    public static func tombstone(articleId: String, topic: String = Topics.articlesRaw) -> OutgoingMessage {
        OutgoingMessage(topic: topic, key: articleId, value: nil)
    }

    /// Whether `text` has the shape of an article id: 32 lower-case hex characters.
    public static func isArticleID(_ text: String) -> Bool {
        text.utf8.count == 32 && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }
}
