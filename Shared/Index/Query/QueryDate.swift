import Foundation

/// Dates as the query API and CLI accept them, exactly the OpenAPI pattern:
/// `YYYY-MM-DD` (midnight UTC) or `YYYY-MM-DDTHH:MM:SSZ` with an optional fraction of
/// 1–6 digits before the `Z`. Month 01–12, day 01–31, hour 00–23; a day past the end
/// of its month rolls over into the next (`2026-02-30` is 2 March).
public enum QueryDate {
    /// The parsed time, or nil when `text` does not have that shape.
    public static func parse(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count == 10 || bytes.count >= 20, bytes.count <= 27 else { return nil }
        func number(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[from..<from + count] {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0, 4), bytes[4] == UInt8(ascii: "-"), let month = number(5, 2),
              bytes[7] == UInt8(ascii: "-"), let day = number(8, 2), (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        var components = DateComponents(year: year, month: month, day: day, hour: 0, minute: 0, second: 0)
        var fraction = 0.0
        if bytes.count > 10 {
            guard bytes[10] == UInt8(ascii: "T"), let hour = number(11, 2), bytes[13] == UInt8(ascii: ":"),
                  let minute = number(14, 2), bytes[16] == UInt8(ascii: ":"), let second = number(17, 2),
                  hour <= 23, minute <= 59, second <= 59, bytes.last == UInt8(ascii: "Z")
            else { return nil }
            components.hour = hour
            components.minute = minute
            components.second = second
            let middle = bytes.count - 20  // the fraction, with its dot
            if middle > 0 {
                guard middle >= 2, middle <= 7, bytes[19] == UInt8(ascii: "."), let digits = number(20, middle - 1)
                else { return nil }
                fraction = Double(digits) / pow(10, Double(middle - 1))
            } else if bytes.count != 20 {
                return nil
            }
        }
        var calendar = Calendar(identifier: .gregorian)
        guard let utc = TimeZone(identifier: "UTC") else { return nil }
        calendar.timeZone = utc
        return calendar.date(from: components).map { $0.addingTimeInterval(fraction) }
    }
}
