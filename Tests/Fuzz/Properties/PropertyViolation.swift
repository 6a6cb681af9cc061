/// A property that did not hold for one input: which one, and what was seen.
public struct PropertyViolation: Error, Sendable, CustomStringConvertible {
    /// A short name for the property ("quotation offsets", "FTS5 accepts the pattern").
    public var property: String
    /// What was seen instead, with enough of the values to start debugging.
    public var detail: String

    public init(_ property: String, _ detail: String) {
        self.property = property
        self.detail = detail
    }

    public var description: String { "\(property): \(detail)" }
}
