import Foundation
import QuotewireIndex
import QuotewireModels

/// A count with a link (an outlet that narrows a search, say).
struct LinkedCount: Sendable {
    var value: String
    var count: Int
    var href: String
}

/// `/speakers/{name}`: the speaker's names, roles, outlets, chart and quotations.
struct SpeakerView: Sendable {
    struct Row: Sendable {
        var text: String
        var role: String?
        var quotationHref: String?
        var articleHref: String
        var headline: String
        var source: String?
        var date: String?
        var dateISO: String?
    }

    var name: String
    var quotations: String
    var aliases: [SearchFacets.Count]
    var roles: [SearchFacets.Count]
    var outlets: [LinkedCount]
    var searchHref: String
    var chart: Chart?
    var items: [Row]
    var firstHref: String?
    var nextHref: String?

    init(profile: SpeakerProfile, list: QuotationList, cursor: String?) {
        name = profile.name
        quotations = DisplayText.number(profile.quotations)
        aliases = profile.aliases.filter { $0.value != profile.name }
        roles = profile.roles
        let speakerFilter = SearchView.filterText("speaker", profile.name) ?? ""
        outlets = profile.outlets.map { outlet in
            LinkedCount(value: outlet.value, count: outlet.count,
                        href: Links.search([speakerFilter, SearchView.filterText("source", outlet.value) ?? ""]
                            .filter { !$0.isEmpty }.joined(separator: " ") + " type:quotation", sort: .newest))
        }
        searchHref = Links.search(speakerFilter + " type:quotation", sort: .newest)
        chart = Chart.perDay(profile.days, label: "Quotations of \(profile.name) per day")
        items = list.quotations.map { item in
            Row(text: item.text, role: item.speakerRole, quotationHref: item.quotationId.map(Links.quotation),
                articleHref: Links.article(item.articleId), headline: item.headline ?? "(no headline)", source: item.source,
                date: DisplayText.date(item.publishedAt ?? item.receivedAt), dateISO: DisplayText.iso(item.publishedAt ?? item.receivedAt))
        }
        firstHref = cursor == nil ? nil : Links.speaker(profile.name)
        nextHref = list.nextCursor.map { Links.speaker(profile.name, cursor: $0) }
    }
}

/// `/quotations/{id}`: one quotation with its speaker, article, paragraph and attribution.
struct QuotationView: Sendable {
    var text: String
    var speaker: String?
    var speakerHref: String?
    var role: String?
    var aliases: [String]
    var articleHref: String
    var headline: String
    var source: String?
    var date: String?
    var dateISO: String?
    var kind: String
    var paragraph: [TextSegment]
    var attribution: String?
    var cue: String?
    var mention: String?

    init(_ quotation: Quotation, in stored: StoredArticle, profile: SpeakerProfile?) {
        let article = stored.article
        text = quotation.text
        speaker = quotation.speaker
        speakerHref = quotation.speaker.map { Links.speaker($0) }
        role = quotation.speakerRole
        aliases = (profile?.aliases ?? []).map(\.value).filter { $0 != quotation.speaker }
        articleHref = Links.article(article.articleId)
        headline = article.headline ?? "(no headline)"
        source = article.source
        date = DisplayText.date(article.publishedAt ?? article.receivedAt)
        dateISO = DisplayText.iso(article.publishedAt ?? article.receivedAt)
        kind = quotation.kind == .direct ? "direct speech" : "a quoted fragment of the writer's sentence"
        paragraph = article.paragraphs.lazy.compactMap { TextSegment.paragraph($0, marking: quotation.text) }.first ?? []
        attribution = quotation.attribution
        cue = quotation.cue
        mention = quotation.speakerMention
    }
}

/// `/articles/{id}`: headline, outlet, byline, date, quotations in order, market quotes, text.
struct ArticleView: Sendable {
    struct SourceLink: Sendable {
        /// Only an http(s) address becomes a link; anything else (`javascript:`, `data:`) is text.
        var safe: Bool
        var href: String
        var text: String
    }

    struct QuotationRow: Sendable {
        var text: String
        var speaker: String?
        var speakerHref: String?
        var role: String?
        var quotationHref: String
    }

    struct MarketQuoteRow: Sendable {
        var symbol: String
        var href: String
        var price: String
        var change: String
        var currency: String
        var exchange: String
    }

    var headline: String
    var source: String?
    var byline: String?
    var date: String?
    var dateISO: String?
    var link: SourceLink?
    var quotations: [QuotationRow]
    var marketQuotes: [MarketQuoteRow]
    var paragraphs: [String]

    init(_ stored: StoredArticle) {
        let article = stored.article
        headline = article.headline ?? "(no headline)"
        source = article.source
        byline = article.byline
        date = DisplayText.date(article.publishedAt ?? article.receivedAt)
        dateISO = DisplayText.iso(article.publishedAt ?? article.receivedAt)
        link = article.url.map { SourceLink(safe: Self.isWebAddress($0), href: $0, text: $0) }
        quotations = article.quotations.enumerated().map { ordinal, quotation in
            QuotationRow(text: quotation.text, speaker: quotation.speaker, speakerHref: quotation.speaker.map { Links.speaker($0) },
                         role: quotation.speakerRole,
                         quotationHref: Links.quotation(QuotationID(articleId: article.articleId, ordinal: ordinal).description))
        }
        marketQuotes = article.marketQuotes.map { quote in
            MarketQuoteRow(symbol: quote.symbol.uppercased(), href: Links.ticker(quote.symbol.uppercased()),
                           price: DisplayText.price(quote.price), change: DisplayText.change(quote.changePercent),
                           currency: quote.currency ?? "", exchange: quote.exchange ?? "")
        }
        paragraphs = article.paragraphs
    }

    /// An absolute `http:` or `https:` address with a host.
    static func isWebAddress(_ text: String) -> Bool {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = url.host, !host.isEmpty
        else { return false }
        return true
    }
}

/// `/tickers/{symbol}`: the symbol's quotes as a chart and a table, oldest first.
struct TickerView: Sendable {
    struct Row: Sendable {
        var date: String
        var dateISO: String
        var price: String
        var change: String
        var currency: String
        var exchange: String
        var articleHref: String
        var articleId: String
    }

    var symbol: String
    var summary: String
    var chart: Chart?
    var rows: [Row]

    init(_ history: TickerHistory) {
        symbol = history.symbol
        summary = "\(DisplayText.count(history.quotes.count, "market quote", "market quotes")) seen in the articles"
            + (history.quotes.count >= QueryLimits.tickers.defaultValue ? ", the latest \(history.quotes.count)" : "")
        chart = Chart.prices(history.quotes, symbol: history.symbol)
        rows = history.quotes.map { quote in
            Row(date: DisplayText.date(quote.seenAt) ?? "", dateISO: DisplayText.iso(quote.seenAt) ?? "",
                price: DisplayText.price(quote.price), change: DisplayText.change(quote.changePercent),
                currency: quote.currency ?? "", exchange: quote.exchange ?? "", articleHref: Links.article(quote.articleId),
                articleId: quote.articleId)
        }
    }
}

/// `/`: the search box, examples and the most quoted speakers.
struct HomeView: Sendable {
    struct Example: Sendable {
        var text: String
        var href: String
    }

    struct SpeakerLink: Sendable {
        var name: String
        var quotations: String
        var href: String
    }

    var examples: [Example]
    var speakers: [SpeakerLink]

    init(_ list: SpeakerList) {
        speakers = list.speakers.map { SpeakerLink(name: $0.name, quotations: DisplayText.number($0.quotations), href: Links.speaker($0.name)) }
        var texts = ["type:quotation", "type:article"]
        if let top = list.speakers.first, let filter = SearchView.filterText("speaker", top.name) { texts.insert(filter, at: 0) }
        examples = texts.map { Example(text: $0, href: Links.search($0)) }
    }
}

/// An error page's words.
struct ErrorView: Sendable {
    var heading: String
    var message: String
}

/// The sign-in form.
struct LoginView: Sendable {
    var next: String
    var failure: String?
}
