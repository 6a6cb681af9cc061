import Foundation
import QuoteParser
import QuotewireModels
import Testing

/// Market quote lines, page structure pieces. (HTML pages: `PageExtractionTests`.)
@Suite("Market quotes, structure")
struct TextPartsTests {
    @Test(arguments: [
        ("RIO 0.44% 57.26 $", "RIO", 0.44 as Double?, 57.26, "USD" as String?),
        ("SCS -2.81% 9.95 $", "SCS", -2.81, 9.95, "USD"),
        ("TRVQ −0.87% 112.05 €", "TRVQ", -0.87, 112.05, "EUR"),
        ("ORBN +2.10% 1,204.50 £", "ORBN", 2.10, 1204.50, "GBP"),
        ("NGRL 0.90% £12.45", "NGRL", 0.90, 12.45, "GBP"),
        ("SONY 1.5% 2,410 ¥", "SONY", 1.5, 2410, "JPY"),
        ("THMW -2.15 310.00 GBX", "THMW", -2.15, 310.00, "GBX"),
        ("BP 27.21 USD", "BP", nil, 27.21, "USD"),
        ("VOD 1.65% 9.11", "VOD", 1.65, 9.11, nil),
    ])
    func tickerLines(_ line: String, _ symbol: String, _ change: Double?, _ price: Double, _ currency: String?) throws {
        let q = try #require(MarketQuoteParser.parseLine(line, exchange: "X"))
        #expect(q == MarketQuote(symbol: symbol, changePercent: change, price: price, currency: currency, exchange: "X"))
    }

    @Test(arguments: ["Hello world", "RIO", "RIO 1% 2% 3", "rio 0.44% 57.26 $", "RIO 0.44% 57.26 $ extra", "RIO 1,23.4 $"])
    func notTickerLines(_ line: String) {
        #expect(MarketQuoteParser.parseLine(line) == nil)
    }

    @Test func exchangeHeaders() {
        #expect(MarketQuoteParser.isExchangeHeader("NYSE - LSE"))
        #expect(MarketQuoteParser.isExchangeHeader("LSE"))
        #expect(!MarketQuoteParser.isExchangeHeader("Text size:"))
    }

    @Test func bareParagraphsStayBody() {
        let text = "\"We will not give up,\" said Anna Keller, a union leader"
        let a = TestSupport.parse(text)
        #expect(a.headline == nil && a.source == nil)
        #expect(a.paragraphs == [text])
        #expect(a.quotations.first?.speaker == "Anna Keller")
        let two = TestSupport.parse("\"We will not give up\" - Keller\n\nThe strike goes on.")
        #expect(two.quotations.count == 1)
    }

    @Test func furnitureAndBylineAreRemoved() {
        let a = TestSupport.parse("Daily Meridian - Storm hits coast\n\nStorm hits coast\n\nShare\n\nWe use cookies to improve your experience.\n\nThe storm hit at dawn.\n\nBy Anna Keller")
        #expect(a.source == "Daily Meridian")
        #expect(a.headline == "Storm hits coast")
        #expect(a.byline == "Anna Keller")
        #expect(a.paragraphs == ["The storm hit at dawn."])
    }
}
