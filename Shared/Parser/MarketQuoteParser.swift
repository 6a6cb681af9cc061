import QuotewireModels

/// Reads ticker lines such as `RIO 0.44% 57.26 $` and exchange headers such as `NYSE - LSE`.
///
/// A ticker line is a symbol, a signed change (percent sign optional; `+`, `-`
/// or U+2212 minus) and a price with an optional currency (`$`, `€`, `£`, `¥`, or
/// an ISO code USD/EUR/GBP/GBX/JPY) before or after it. Thousands separators are
/// accepted. Anything else on the line makes it not a ticker line.
public enum MarketQuoteParser {
    /// Parses one line; nil when it is not a ticker line.
    public static func parseLine(_ line: String, exchange: String? = nil) -> MarketQuote? {
        var copy = line
        return copy.withUTF8 { b in parseLine(b, 0, b.count, exchange: exchange) }
    }

    /// Is this line an exchange header (`NYSE - LSE`, `NASDAQ`, `LSE / XETRA`)?
    public static func isExchangeHeader(_ line: String) -> Bool {
        var copy = line
        return copy.withUTF8 { b in isExchangeHeader(b, 0, b.count) }
    }

    static func isExchangeHeader(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        let n = end - start
        guard n >= 2, n <= 40 else { return false }
        var letters = 0
        var i = start
        while i < end {
            let c = b[i]
            if ByteText.isASCIIUpper(c) {
                letters += 1
            } else if !(c == 0x20 || c == 0x2D || c == 0x2F || c == 0x26 || ByteText.isDigit(c)) {
                return false
            }
            i += 1
        }
        return letters >= 2
    }

    static func parseLine(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, exchange: String?) -> MarketQuote? {
        var i = start
        // Symbol: 1-8 of A-Z 0-9 . - with at least one letter.
        let symStart = i
        var letters = 0
        while i < end, ByteText.isASCIIUpper(b[i]) || ByteText.isDigit(b[i]) || b[i] == 0x2E || b[i] == 0x2D {
            if ByteText.isASCIIUpper(b[i]) { letters += 1 }
            i += 1
        }
        let symEnd = i
        guard letters > 0, symEnd - symStart <= 8, i < end, b[i] == 0x20 else { return nil }
        guard end - start <= 64 else { return nil }
        var numbers: (first: (value: Double, signed: Bool, percent: Bool), second: (value: Double, signed: Bool, percent: Bool)) =
            ((0, false, false), (0, false, false))
        var count = 0
        var currency: String?
        while i < end {
            if b[i] == 0x20 || b[i] == 0x09 { i += 1; continue }
            if let (code, len) = currencyAt(b, i, end) {
                if currency != nil { return nil }
                currency = code
                i += len
                continue
            }
            guard let (value, signed, len) = number(b, i, end) else { return nil }
            i += len
            var percent = false
            if i < end, b[i] == 0x25 { percent = true; i += 1 }
            if count == 0 { numbers.first = (value, signed, percent) } else if count == 1 { numbers.second = (value, signed, percent) }
            count += 1
            if count > 2 { return nil }
        }
        let symbol = ByteText.string(b, symStart, symEnd)
        switch count {
        case 1:
            guard !numbers.first.percent else { return nil }
            return MarketQuote(symbol: symbol, changePercent: nil, price: numbers.first.value, currency: currency, exchange: exchange)
        case 2:
            // The change is the signed or percent number; by layout it comes first.
            var change = numbers.first
            var price = numbers.second
            if (price.percent || price.signed) && !(change.percent || change.signed) { swap(&change, &price) }
            guard !price.percent else { return nil }
            return MarketQuote(symbol: symbol, changePercent: change.value, price: price.value, currency: currency, exchange: exchange)
        default:
            return nil
        }
    }

    private static func currencyAt(_ b: UnsafeBufferPointer<UInt8>, _ i: Int, _ end: Int) -> (String, Int)? {
        let c = b[i]
        if c == 0x24 { return ("USD", 1) }
        if c == 0xC2, i + 1 < end {
            if b[i + 1] == 0xA3 { return ("GBP", 2) }
            if b[i + 1] == 0xA5 { return ("JPY", 2) }
        }
        if c == 0xE2, i + 2 < end, b[i + 1] == 0x82, b[i + 2] == 0xAC { return ("EUR", 3) }
        if i + 3 <= end, ByteText.isASCIIUpper(c), i + 3 == end || !ByteText.isASCIIAlnum(b[i + 3]) {
            let code = ByteText.string(b, i, i + 3)
            if ["USD", "EUR", "GBP", "GBX", "JPY", "CHF"].contains(code) { return (code, 3) }
        }
        return nil
    }

    /// A decimal number with optional sign and thousands separators: (value, had a sign, bytes).
    private static func number(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> (Double, Bool, Int)? {
        var i = start
        var negative = false
        var signed = false
        if b[i] == 0x2B { signed = true; i += 1 }
        else if b[i] == 0x2D { signed = true; negative = true; i += 1 }
        else if b[i] == 0xE2, i + 2 < end, b[i + 1] == 0x88, b[i + 2] == 0x92 { signed = true; negative = true; i += 3 }
        var mantissa: UInt64 = 0
        var digits = 0
        var decimals = 0
        var seenPoint = false
        var groupDigits = -1
        while i < end {
            let c = b[i]
            if ByteText.isDigit(c) {
                guard digits < 18 else { return nil }
                mantissa = mantissa * 10 + UInt64(c - 0x30)
                digits += 1
                if seenPoint { decimals += 1 }
                if groupDigits >= 0 { groupDigits += 1 }
                i += 1
            } else if c == 0x2C, !seenPoint, digits > 0, i + 3 < end || i + 3 == end,
                      i + 3 <= end, (i + 1..<i + 4).allSatisfy({ $0 < end && ByteText.isDigit(b[$0]) }),
                      i + 4 >= end || !ByteText.isDigit(b[i + 4]) {
                if groupDigits >= 0, groupDigits != 3 { return nil }
                groupDigits = 0
                i += 1
            } else if c == 0x2E, !seenPoint, i + 1 < end, ByteText.isDigit(b[i + 1]) {
                if groupDigits >= 0, groupDigits != 3 { return nil }
                groupDigits = -1
                seenPoint = true
                i += 1
            } else {
                break
            }
        }
        guard digits > 0 else { return nil }
        if groupDigits >= 0, groupDigits != 3 { return nil }
        var value = Double(mantissa)
        if decimals > 0 { value /= pow10(decimals) }
        return (negative ? -value : value, signed, i - start)
    }

    private static func pow10(_ n: Int) -> Double {
        var p = 1.0
        for _ in 0..<n { p *= 10 }
        return p
    }
}
