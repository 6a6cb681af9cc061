import ArgumentParser
import Foundation
import QuotewireKafka
import QuotewireModels

/// The flags of `quotewire quotes --follow`.
struct FollowOptions: ParsableArguments {
    @Flag(help: "Consume quotes.parsed and print quotations as they arrive (no consumer group; nothing is committed).")
    var follow = false

    @Flag(help: "With --follow: start at the beginning of the topic instead of its end.")
    var fromBeginning = false

    @Option(help: .hidden)
    var followTopic: String = Topics.quotesParsed

    @OptionGroup var broker: BrokerOptions

    func validate() throws {
        if fromBeginning && !follow {
            throw ValidationError("--from-beginning goes with --follow")
        }
    }
}

/// Follows `quotes.parsed` without disturbing the services' groups: every partition is
/// assigned by hand (no group, no commits), from the end or the beginning, and each
/// quotation is printed as it arrives: `speaker — text` (`?` for an unknown speaker), or one
/// JSON object per line with the article's id and headline.
struct QuotesFollower {
    let options: FollowOptions
    let json: Bool
    /// Only quotations whose speaker contains this text, case-insensitive.
    let speaker: String?

    /// One quotation as a JSON line.
    struct Line: Encodable {
        var articleId: String
        var headline: String?
        var text: String
        var speaker: String?
        var speakerMention: String?
        var speakerRole: String?
        var cue: String?
        var kind: QuotationKind
        var start: Int
        var end: Int

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(articleId, forKey: .articleId)
            try c.encode(headline, forKey: .headline)
            try c.encode(text, forKey: .text)
            try c.encode(speaker, forKey: .speaker)
            try c.encode(speakerMention, forKey: .speakerMention)
            try c.encode(speakerRole, forKey: .speakerRole)
            try c.encode(cue, forKey: .cue)
            try c.encode(kind, forKey: .kind)
            try c.encode(start, forKey: .start)
            try c.encode(end, forKey: .end)
        }

        enum CodingKeys: String, CodingKey {
            case articleId, headline, text, speaker, speakerMention, speakerRole, cue, kind, start, end
        }
    }

    func run() async throws {
        try await BrokerCommandError.reporting { () async throws(BrokerCommandError) in
            let topic = options.followTopic
            let partitions = try await options.broker.partitionCount(of: topic)
            let consumer = try options.broker.assignedConsumer()
            let start: KafkaOffset = options.fromBeginning ? .beginning : .end
            do {
                try consumer.assign(Dictionary(uniqueKeysWithValues: (0..<partitions).map {
                    (TopicPartition(topic: topic, partition: Int32($0)), start)
                }))
                for try await message in consumer.messages {
                    show(message)
                }
            } catch {
                await consumer.close()
                throw BrokerCommandError(.unavailable, "following \(topic) failed: \(error)")
            }
            await consumer.close()
        }
    }

    private func show(_ message: KafkaMessage) {
        guard let value = message.value else { return }  // a deleted article
        let article: ParsedArticle
        do {
            article = try WireCoding.decode(ParsedArticle.self, from: value)
        } catch {
            Terminal.error("skipping \(message.topicPartition)@\(message.offset): \(error)")
            return
        }
        let encoder = WireCoding.encoder()
        encoder.outputFormatting.insert(.sortedKeys)
        for quotation in article.quotations {
            if let speaker, !(quotation.speaker ?? "").localizedCaseInsensitiveContains(speaker) { continue }
            if json {
                let line = Line(
                    articleId: article.articleId, headline: article.headline, text: quotation.text, speaker: quotation.speaker,
                    speakerMention: quotation.speakerMention, speakerRole: quotation.speakerRole, cue: quotation.cue,
                    kind: quotation.kind, start: quotation.start, end: quotation.end)
                if let data = try? encoder.encode(line) {
                    Terminal.out(String(decoding: data, as: UTF8.self))
                }
            } else {
                Terminal.out(TerminalText.safe("\(quotation.speaker ?? "?") — \(quotation.text)".split(whereSeparator: \.isNewline)
                    .joined(separator: " ")))
            }
        }
    }
}
