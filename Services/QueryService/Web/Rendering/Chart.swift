import Foundation
import QuotewireIndex

/// A small chart drawn on the server as SVG shapes (the `chart` template): bars for counts per
/// day, or a line for prices over time. Only numbers and escaped labels reach the SVG.
struct Chart: Sendable {
    struct Bar: Sendable { var x, y, w, h: String; var tip: String }
    struct Dot: Sendable { var x, y: String; var tip: String }
    struct Tick: Sendable { var x, y: String; var anchor: String; var text: String }

    var width = 640
    var height = 180
    var label: String
    var caption: String
    var bars: [Bar] = []
    var line: String?
    var dots: [Dot] = []
    var ticks: [Tick] = []

    // The plot area inside the frame.
    static let (plotLeft, plotRight, plotTop, plotBottom) = (44.0, 628.0, 14.0, 156.0)
    var left: String { Self.number(Self.plotLeft) }
    var right: String { Self.number(Self.plotRight) }
    var baseline: String { Self.number(Self.plotBottom) }

    /// Quotations per day as bars, one slot per day from the first day shown to the last (at most
    /// `maximumDays` days back from the last); nil when there is nothing to draw.
    static func perDay(_ days: [SearchFacets.Count], label: String, maximumDays: Int = 120) -> Chart? {
        let dated = days.compactMap { count in dayNumber(count.value).map { (day: $0, count: count.count, text: count.value) } }
        guard let last = dated.map(\.day).max() else { return nil }
        let shown = dated.filter { $0.day > last - maximumDays }
        guard let first = shown.map(\.day).min(), let top = shown.map(\.count).max(), top > 0 else { return nil }
        let slots = Double(last - first + 1)
        let slot = (plotRight - plotLeft) / slots
        var chart = Chart(label: label, caption: "\(label), \(shown.first?.text ?? "") to \(shown.last?.text ?? "") (UTC days; the tallest bar is \(top))")
        for entry in shown {
            let h = max(1, (plotBottom - plotTop) * Double(entry.count) / Double(top))
            let x = plotLeft + Double(entry.day - first) * slot + slot * 0.1
            chart.bars.append(Bar(x: number(x), y: number(plotBottom - h), w: number(max(1, slot * 0.8)), h: number(h),
                                  tip: "\(entry.text): \(entry.count)"))
        }
        chart.ticks = [
            Tick(x: number(plotLeft - 6), y: number(plotTop + 8), anchor: "end", text: String(top)),
            Tick(x: number(plotLeft - 6), y: number(plotBottom), anchor: "end", text: "0"),
            Tick(x: number(plotLeft), y: number(plotBottom + 16), anchor: "start", text: shown.first?.text ?? ""),
            Tick(x: number(plotRight), y: number(plotBottom + 16), anchor: "end", text: shown.last?.text ?? ""),
        ]
        return chart
    }

    /// Prices over time as a line with a dot per quote; nil when there is nothing to draw.
    static func prices(_ quotes: [TickerQuote], symbol: String) -> Chart? {
        let points = quotes.filter { $0.price.isFinite }
        guard let firstTime = points.map(\.seenAt).min(), let lastTime = points.map(\.seenAt).max(),
              let low = points.map(\.price).min(), let high = points.map(\.price).max()
        else { return nil }
        let span = max(lastTime.timeIntervalSince(firstTime), 1)
        let range = high > low ? high - low : max(abs(high) * 0.01, 1)
        let base = high > low ? low : low - range / 2
        func x(_ date: Date) -> Double {
            points.count == 1 ? (plotLeft + plotRight) / 2 : plotLeft + (plotRight - plotLeft) * date.timeIntervalSince(firstTime) / span
        }
        func y(_ price: Double) -> Double { plotBottom - (plotBottom - plotTop) * (price - base) / range }
        var chart = Chart(label: "Price of \(symbol) over time",
                          caption: "\(symbol): \(points.count) quote\(points.count == 1 ? "" : "s"), low \(DisplayText.price(low)), high \(DisplayText.price(high))")
        chart.line = points.map { "\(number(x($0.seenAt))),\(number(y($0.price)))" }.joined(separator: " ")
        chart.dots = points.map { quote in
            Dot(x: number(x(quote.seenAt)), y: number(y(quote.price)),
                tip: "\(DisplayText.date(quote.seenAt) ?? ""): \(DisplayText.price(quote.price))")
        }
        chart.ticks = [
            Tick(x: number(plotLeft - 6), y: number(y(high) + 4), anchor: "end", text: DisplayText.price(high)),
            Tick(x: number(plotLeft - 6), y: number(y(low) + 4), anchor: "end", text: DisplayText.price(low)),
            Tick(x: number(plotLeft), y: number(plotBottom + 16), anchor: "start", text: String((DisplayText.date(firstTime) ?? "").prefix(10))),
            Tick(x: number(plotRight), y: number(plotBottom + 16), anchor: "end", text: String((DisplayText.date(lastTime) ?? "").prefix(10))),
        ]
        return chart
    }

    /// Days since 1970-01-01 of a `YYYY-MM-DD` text.
    static func dayNumber(_ text: String) -> Int? {
        let parts = text.split(separator: "-")
        guard parts.count == 3, let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        guard let date = calendar.date(from: DateComponents(year: year, month: month, day: day)) else { return nil }
        return Int((date.timeIntervalSince1970 / 86_400).rounded(.down))
    }

    static func number(_ value: Double) -> String {
        String(format: "%.1f", value)
    }
}
