/// A duration in the units flags and metrics speak.
extension Duration {
    /// In seconds, fractions kept (a Prometheus value, a `--settle-seconds` default).
    public var secondsValue: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    /// In whole seconds, rounded down.
    public var wholeSeconds: Int { Int(components.seconds) }

    /// In whole milliseconds, rounded down.
    public var wholeMilliseconds: Int {
        let (seconds, attoseconds) = components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }
}
