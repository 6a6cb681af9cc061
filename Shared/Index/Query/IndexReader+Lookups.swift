import Foundation
import GRDB
import QuotewireModels

extension IndexReader {
    /// Checks a ticker symbol and returns it upper-cased: 1–16 of `A-Z 0-9 . - ^ = _`.
    public static func validateSymbol(_ symbol: String) throws(IndexError) -> String {
        let upper = symbol.uppercased()
        guard (1...16).contains(upper.count),
              upper.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || ".-^=_".contains($0)) })
        else { throw IndexError(.invalidArgument, "a symbol is 1 to 16 letters, digits or . - ^ = _") }
        return upper
    }

    /// Checks an article id: 1–200 of `A-Z a-z 0-9 _ - . :`, and no `..`.
    public static func validateArticleID(_ id: String) throws(IndexError) -> String {
        guard (1...200).contains(id.count), !id.contains(".."),
              id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "_-.:".contains($0)) })
        else { throw IndexError(.invalidArgument, "an article id is 1 to 200 letters, digits or _ - . :") }
        return id
    }

    static func loadArticle(_ id: String, _ db: Database) throws -> StoredArticle? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM article WHERE articleId = ?"),
                                         arguments: [id])
        else { return nil }
        let rid: Int64 = row["rid"]
        let quotations = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT text, speaker, speakerMention, speakerRole, cue, kind, startOffset, endOffset, attribution
            FROM quotation WHERE article = ? ORDER BY ordinal
            """), arguments: [rid]).map { q in
            Quotation(text: q["text"], speaker: q["speaker"], speakerMention: q["speakerMention"],
                      speakerRole: q["speakerRole"], cue: q["cue"],
                      kind: QuotationKind(rawValue: q["kind"] ?? "") ?? .direct,
                      start: q["startOffset"], end: q["endOffset"], attribution: q["attribution"])
        }
        let quotes = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT symbol, changePercent, price, currency, exchange FROM market_quote WHERE article = ? ORDER BY mid
            """), arguments: [rid]).map { m in
            MarketQuote(symbol: m["symbol"], changePercent: m["changePercent"], price: m["price"],
                        currency: m["currency"], exchange: m["exchange"])
        }
        let headingsJSON: String = row["headings"] ?? "[]"
        let headings = (try? JSONDecoder().decode([String].self, from: Data(headingsJSON.utf8))) ?? []
        let body: String = row["body"] ?? ""
        let article = ParsedArticle(
            schemaVersion: row["schemaVersion"], articleId: row["articleId"], source: row["source"],
            headline: nonEmpty(row["headline"]), byline: row["byline"], caption: row["caption"],
            photoCredit: row["photoCredit"], headings: headings, url: row["url"],
            publishedAt: date(row["publishedAt"]), receivedAt: date(row["receivedAt"]),
            paragraphs: body.isEmpty ? [] : body.components(separatedBy: ShardStatements.paragraphSeparator),
            quotations: quotations, marketQuotes: quotes)
        return StoredArticle(article: article, seenAt: Date(timeIntervalSince1970: row["seenAt"]))
    }
}
