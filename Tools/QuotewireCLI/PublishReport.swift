import Foundation

/// What became of one input of `quotewire publish`, in input order.
enum PublishOutcome: Sendable {
    /// The broker acknowledged the article.
    case published(name: String, id: String)
    /// The input was refused when read, or the broker did not take it.
    case failed(name: String, reason: String)
}

/// Everything `quotewire publish` tells the person running it, and the counts behind it.
///
/// - Standard output: `ID  NAME` for each acknowledged article, in input order (not with `quiet`).
/// - Standard error: `NAME: reason` for each failure as soon as it is settled (always); on a
///   terminal, a progress line redrawn in place (`\r` and erase-line) at most
///   ``redrawInterval`` apart, and at the end a summary line (neither with `quiet`).
///
/// The progress line is erased before any other line is written to the terminal and put back
/// after, so ids and failures never land in the middle of it.
final class PublishReport {
    /// The shortest time between two redraws of changed progress figures.
    static let redrawInterval: Duration = .milliseconds(250)

    private let quiet: Bool
    private let drawsProgress: Bool
    /// Whether `ID  NAME` lines reach the same terminal as the progress line.
    private let stdoutSharesTerminal: Bool
    private let clock = ContinuousClock()
    private let started: ContinuousClock.Instant
    private var lastDrawn: ContinuousClock.Instant?
    private var progressShown = false

    /// Records handed to the producer so far.
    private(set) var sent = 0
    /// Articles the broker acknowledged.
    private(set) var published = 0
    /// Inputs refused when read, or not taken by the broker.
    private(set) var failed = 0
    /// Every input settled so far, published or failed.
    var settled: Int { published + failed }

    init(quiet: Bool) {
        self.quiet = quiet
        drawsProgress = !quiet && Console.current.isTerminal(.error)
        stdoutSharesTerminal = Console.current.isTerminal(.output)
        started = clock.now
    }

    /// Counts `count` records as handed to the producer.
    func sending(_ count: Int) {
        sent += count
        drawProgress(force: false)
    }

    /// Reports `outcomes` in their order and updates the figures.
    func settle(_ outcomes: [PublishOutcome]) {
        var ids = ""
        var problems = ""
        for outcome in outcomes {
            switch outcome {
            case .published(let name, let id):
                published += 1
                if !quiet { ids += "\(id)  \(name)\n" }
            case .failed(let name, let reason):
                failed += 1
                problems += TerminalText.safe("\(name): \(reason)") + "\n"
            }
        }
        guard !ids.isEmpty || !problems.isEmpty else { return }
        let disturbsProgress = progressShown && (!problems.isEmpty || stdoutSharesTerminal)
        if disturbsProgress { eraseProgress() }
        // A chunk's ids, then its failures, each in input order: the two streams are often
        // read apart anyway, and this takes two writes instead of one per change of stream.
        if !ids.isEmpty { Console.current.write(ids) }
        if !problems.isEmpty { Console.current.write(problems, to: .error) }
        drawProgress(force: disturbsProgress)
    }

    /// Erases the progress line and, unless quiet, writes the summary line to standard error.
    func finish() {
        if progressShown { eraseProgress() }
        guard !quiet, settled > 0 else { return }
        let seconds = Self.seconds(clock.now - started)
        var line = "published \(published) of \(settled) articles in \(Self.oneDecimal(seconds)) s (\(Self.rate(published, seconds))/s)"
        if failed > 0 { line += "; \(failed) failed" }
        Console.current.write(line + "\n", to: .error)
    }

    /// Draws the progress line when on a terminal and the last draw is old enough (or `force`:
    /// the line was just erased and must come back).
    private func drawProgress(force: Bool) {
        guard drawsProgress else { return }
        let now = clock.now
        if !force, let lastDrawn, now - lastDrawn < Self.redrawInterval { return }
        lastDrawn = now
        let rate = Self.rate(published, Self.seconds(now - started))
        var line = "\r\u{1B}[Ksent \(sent), acknowledged \(published), \(rate)/s"
        if failed > 0 { line += ", \(failed) failed" }
        Console.current.write(line, to: .error)
        progressShown = true
    }

    private func eraseProgress() {
        Console.current.write("\r\u{1B}[K", to: .error)
        progressShown = false
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// Whole articles per second; 0 before any time has passed.
    private static func rate(_ count: Int, _ seconds: Double) -> Int {
        seconds > 0 ? Int((Double(count) / seconds).rounded()) : 0
    }

    private static func oneDecimal(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}
