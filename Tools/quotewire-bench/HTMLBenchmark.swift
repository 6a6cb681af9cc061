import ArgumentParser
import Foundation
import PageExtraction
import QuoteParser
import QuotewireModels

/// `quotewire-bench html`: page extraction plus parse, per page, on one thread: median, p90 and
/// p99 over the pages of `../shared/corpora/html-dev` when it is there, else over pages it
/// writes itself; then one page of about 4 MB, its time and how much the process grew for it.
/// Times are the thread's CPU time (`CLOCK_THREAD_CPUTIME_ID`), so waiting for a core that
/// other work holds does not count.
struct HTMLBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "html",
        abstract: "Page extraction plus parse per page: median, p90, p99; and a 4 MB page's time and memory.")

    @Option(help: "A folder of *.html pages (default: ../shared/corpora/html-dev/pages when present, else generated pages).")
    var pages: String?

    @Option(help: "Passes over the pages; a page's time is its median pass.")
    var runs: Int = 5

    @Option(help: "Pages to generate when there is no corpus.")
    var generated: Int = 200

    @Option(help: "Size of the large page, in MB (0: none).")
    var largeMB: Int = 4

    func run() throws {
        let (source, inputs) = try loadPages()
        guard !inputs.isEmpty else { throw ValidationError("no pages") }
        let parser = QuoteParser()
        var extraction = [[Duration]](repeating: [], count: inputs.count)
        var total = [[Duration]](repeating: [], count: inputs.count)
        var quotations = 0
        for run in 0...runs {
            for (i, page) in inputs.enumerated() {
                let started = Self.threadCPUTime()
                let extracted = extract(page)
                let extractedAt = Self.threadCPUTime()
                let article = parser.parse(body: extracted.paragraphs, metadata: extracted.metadata, articleId: "bench")
                let finished = Self.threadCPUTime()
                if run == 0 {
                    quotations += article.quotations.count  // the first pass warms up and is not timed
                } else {
                    extraction[i].append(extractedAt - started)
                    total[i].append(finished - started)
                }
            }
        }
        let bytes = inputs.reduce(0) { $0 + $1.count }
        print("\(inputs.count) pages from \(source), \(bytes / 1024) KB, median page \(sortedSizes(inputs)) KB; \(runs) timed passes, one thread")
        report("extraction + parse", total)
        report("extraction alone", extraction)
        let perPage = total.map { median($0) }.reduce(0.0) { $0 + $1.seconds }
        print(String(format: "  whole set: %.0f pages/s, %.1f MB/s; %d quotations", Double(inputs.count) / perPage,
                     Double(bytes) / perPage / 1e6, quotations))
        if largeMB > 0 { try large() }
    }

    private func extract(_ page: [UInt8]) -> ExtractedPage {
        page.withUnsafeBufferPointer { b in
            (try? PageExtractor.extract(bytes: b)) ?? PageExtractor.extract(String(decoding: b, as: UTF8.self))
        }
    }

    private func report(_ label: String, _ durations: [[Duration]]) {
        let stats = LatencyStats(durations.map { runs in runs.sorted()[runs.count / 2] })
        print(String(format: "  %@ per page: median %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms", label,
                     stats.percentile(50), stats.percentile(90), stats.percentile(99), stats.percentile(100)))
    }

    private func median(_ durations: [Duration]) -> Duration { durations.sorted()[durations.count / 2] }

    private func sortedSizes(_ pages: [[UInt8]]) -> Int { pages.map(\.count).sorted()[pages.count / 2] / 1024 }

    /// The corpus's pages, or generated ones.
    private func loadPages() throws -> (String, [[UInt8]]) {
        let shared = ProcessInfo.processInfo.environment["QUOTEWIRE_SHARED"] ?? "../shared"
        let folder = pages ?? shared + "/corpora/html-dev/pages"
        if let names = try? FileManager.default.contentsOfDirectory(atPath: folder) {
            let files = names.filter { $0.hasSuffix(".html") }.sorted()
            if !files.isEmpty {
                return (folder, try files.map { Array(try Data(contentsOf: URL(fileURLWithPath: folder + "/" + $0))) })
            }
        }
        guard pages == nil else { throw ValidationError("no *.html pages in \(folder)") }
        return ("generated pages (no \(folder))", (0..<generated).map { Array(GeneratedPage.html(seed: $0, paragraphs: 8 + $0 % 24).utf8) })
    }

    /// One page of about `largeMB` MB: its time, and the process's peak resident size before and after.
    private func large() throws {
        let sample = GeneratedPage.html(seed: 7, paragraphs: 1_000).utf8.count
        let paragraphs = max(1, Int(Double(largeMB * 1_000_000) / Double(sample) * 1_000))
        let page = Array(GeneratedPage.html(seed: 7, paragraphs: paragraphs).utf8)
        let before = peakResidentMB()
        let started = Self.threadCPUTime()
        let extracted = extract(page)
        let article = QuoteParser().parse(body: extracted.paragraphs, metadata: extracted.metadata, articleId: "large")
        let elapsed = Self.threadCPUTime() - started
        print(String(format: "  one %.1f MB page (%d paragraphs, %d quotations): %.0f ms; peak resident size %.0f MB before it, %.0f MB after",
                     Double(page.count) / 1e6, extracted.paragraphs.count, article.quotations.count, elapsed.seconds * 1_000,
                     before, peakResidentMB()))
    }

    /// This thread's CPU time so far.
    static func threadCPUTime() -> Duration {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return .seconds(ts.tv_sec) + .nanoseconds(ts.tv_nsec)
    }

    private func peakResidentMB() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
    }
}

/// News-shaped pages of our own for the benchmark: a site header and navigation, an article
/// of quoted and plain paragraphs with a figure and an advertisement, related links,
/// comments and a footer.
enum GeneratedPage {
    static func html(seed: Int, paragraphs: Int) -> String {
        var rng = SplitMix(seed: UInt64(seed))
        let names = ["Amira Haddad", "Tomas Berg", "Lena Ortiz", "Kwame Mensah", "Ines Mabry", "Ruth Ambler"]
        let words = ["council", "harbour", "budget", "lorries", "school", "ridge", "vote", "plan", "tram", "quarry",
                     "residents", "minister", "report", "contract", "bridge", "river", "market", "union", "talks", "winter"]
        func sentence(_ n: Int) -> String {
            (0..<n).map { _ in words[Int(rng.next() % UInt64(words.count))] }.joined(separator: " ").capitalizedFirst + "."
        }
        var body = ""
        for p in 0..<paragraphs {
            let name = names[Int(rng.next() % UInt64(names.count))]
            switch rng.next() % 3 {
            case 0: body += "<p>\"\(sentence(14)) \(sentence(9))\" said \(name), who chairs the \(words[p % words.count]) committee.</p>\n"
            case 1: body += "<p>\(sentence(20)) <a href=\"/topic/\(p)\">\(sentence(3))</a> \(sentence(16))</p>\n"
            default: body += "<p>According to \(name), \"\(sentence(12))\" \(sentence(18))</p>\n"
            }
            if p % 9 == 4 { body += "<div class=\"ad-slot\"><script>if (a < b && c <= 0) { load(\"<div>\"); }</script>Advertisement</div>\n" }
        }
        return """
            <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>\(sentence(8)) | Bench Courier</title>
            <meta property="og:site_name" content="Bench Courier"><link rel="canonical" href="https://bench-courier.example/\(seed)">
            <script>var slots = []; for (var i = 0; i < 4; i++) { slots.push("<div id=ad" + i + ">"); }</script></head>
            <body><header class="site-header"><nav><ul>\((0..<12).map { "<li><a href=\"/s\($0)\">Section \($0)</a></li>" }.joined())</ul></nav></header>
            <main><article><h1>\(sentence(8))</h1><p class="byline">By \(names[seed % names.count])</p>
            <figure><img src="/i.jpg"><figcaption>\(sentence(10))</figcaption></figure>
            <div class="article-body">\(body)</div></article>
            <aside class="related"><h3>Related</h3><ul>\((0..<6).map { "<li><a href=\"/r\($0)\">\(sentence(7))</a></li>" }.joined())</ul></aside>
            <section class="comments">\((0..<4).map { _ in "<div class=\"comment\"><p>\(sentence(25))</p></div>" }.joined())</section></main>
            <footer><p>© Bench Courier, a fictional paper.</p></footer></body></html>
            """
    }

    /// A small deterministic generator (SplitMix64).
    struct SplitMix {
        var state: UInt64
        init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }
}

private extension String {
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
