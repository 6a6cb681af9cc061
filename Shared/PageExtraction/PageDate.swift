import Foundation

/// Dates as pages write them in metadata: ISO 8601 and its common variants
/// (`2008-03-04`, `2008-03-04T10:20`, `2008-03-04 10:20:30.5+01:00`, `…+0100`, `…Z`); a
/// date-time without a zone is taken as UTC.
enum PageDate {
    static func parse(_ text: String) -> Date? {
        var s = Substring(text.trimmingCharacters(in: .whitespacesAndNewlines)).utf8[...]
        func number(_ digits: Int) -> Int? {
            guard s.count >= digits else { return nil }
            var v = 0
            for c in s.prefix(digits) {
                guard (c &- 0x30) < 10 else { return nil }
                v = v * 10 + Int(c - 0x30)
            }
            s = s.dropFirst(digits)
            return v
        }
        func skip(_ c: UInt8) -> Bool {
            guard s.first == c else { return false }
            s = s.dropFirst()
            return true
        }
        guard let year = number(4), year >= 1900, year <= 2200 else { return nil }
        let dashed = skip(0x2D)
        guard let month = number(2), (1...12).contains(month) else { return nil }
        if dashed { guard skip(0x2D) else { return nil } }
        guard let day = number(2), (1...31).contains(day) else { return nil }
        var seconds = 0.0
        var offset = 0
        if skip(0x54) || skip(0x74) || skip(0x20) {
            guard let hour = number(2), hour < 24, skip(0x3A), let minute = number(2), minute < 60 else { return nil }
            seconds = Double(hour * 3600 + minute * 60)
            if skip(0x3A) {
                guard let second = number(2), second <= 60 else { return nil }
                seconds += Double(second)
                if skip(0x2E) || skip(0x2C) {
                    var scale = 0.1
                    while let c = s.first, (c &- 0x30) < 10 {
                        seconds += Double(c - 0x30) * scale
                        scale /= 10
                        s = s.dropFirst()
                    }
                }
            }
            while s.first == 0x20 { s = s.dropFirst() }
            if skip(0x5A) || skip(0x7A) {
            } else if let sign = s.first, sign == 0x2B || sign == 0x2D {
                s = s.dropFirst()
                guard let h = number(2) else { return nil }
                _ = skip(0x3A)
                let m = number(2) ?? 0
                offset = (h * 3600 + m * 60) * (sign == 0x2D ? -1 : 1)
            }
        }
        let days = daysFromCivil(year, month, day)
        return Date(timeIntervalSince1970: Double(days) * 86_400 + seconds - Double(offset))
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date.
    private static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
