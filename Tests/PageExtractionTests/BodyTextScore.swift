/// The body-text metric of public article-extraction benchmarks, as html-dev's `score_html.py`
/// computes it: tokens are `\w+` runs (letters, numbers and `_`, case kept, as Python's `re`
/// reads `\w`), each text a multiset of 4-token shingles; per page tp, fp and fn are the
/// multisets' overlaps, normalised to sum to 1; precision is the mean over pages with output,
/// recall the mean over all pages, F1 that of the two means.
struct BodyTextScore {
    var tp: Double
    var fp: Double
    var fn: Double
    /// The output had no token.
    var empty: Bool

    init(gold: String, output: String) {
        let g = Self.shingles(gold)
        let o = Self.shingles(output)
        var tp = 0.0, fp = 0.0, fn = 0.0
        for key in Set(g.keys).union(o.keys) {
            let a = Double(g[key] ?? 0), b = Double(o[key] ?? 0)
            tp += min(a, b)
            fp += max(0, b - a)
            fn += max(0, a - b)
        }
        let sum = tp + fp + fn
        if sum > 0 { (tp, fp, fn) = (tp / sum, fp / sum, fn / sum) }
        (self.tp, self.fp, self.fn) = (tp, fp, fn)
        empty = Self.tokens(output).isEmpty
    }

    var precision: Double { fp == 0 && fn == 0 ? 1 : (tp == 0 && fp == 0 ? 0 : tp / (tp + fp)) }
    var recall: Double { fp == 0 && fn == 0 ? 1 : (tp == 0 && fn == 0 ? 0 : tp / (tp + fn)) }

    struct Summary {
        var f1: Double
        var precision: Double
        var recall: Double
        var empty: Int
    }

    static func summary(_ scores: [BodyTextScore]) -> Summary {
        let ps = scores.filter { $0.tp + $0.fp > 0 }.map(\.precision)
        let rs = scores.filter { $0.tp + $0.fn > 0 }.map(\.recall)
        let p = ps.isEmpty ? 0 : ps.reduce(0, +) / Double(ps.count)
        let r = rs.isEmpty ? 0 : rs.reduce(0, +) / Double(rs.count)
        return Summary(f1: p + r > 0 ? 2 * p * r / (p + r) : 0, precision: p, recall: r, empty: scores.filter(\.empty).count)
    }

    /// The `\w+` runs, scalar by scalar as Python reads them.
    static func tokens(_ text: String) -> [String] {
        var out: [String] = []
        var current = String.UnicodeScalarView()
        for s in text.unicodeScalars {
            if isWordScalar(s) {
                current.append(s)
            } else if !current.isEmpty {
                out.append(String(current))
                current = String.UnicodeScalarView()
            }
        }
        if !current.isEmpty { out.append(String(current)) }
        return out
    }

    /// Python's `\w`: a letter (L*), a number (a numeric type), or `_`; combining marks are not.
    static func isWordScalar(_ s: Unicode.Scalar) -> Bool {
        if s == "_" { return true }
        switch s.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
        default: return s.properties.numericType != nil
        }
    }

    static func shingles(_ text: String) -> [[String]: Int] {
        let t = tokens(text)
        var counts: [[String]: Int] = [:]
        for i in 0..<max(1, t.count - 3) {
            let s = Array(t[i..<min(t.count, i + 4)])
            if !s.isEmpty { counts[s, default: 0] += 1 }
        }
        return counts
    }
}
