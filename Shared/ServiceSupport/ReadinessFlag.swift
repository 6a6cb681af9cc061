import Synchronization

/// A flag a service raises when it can do its job and lowers when it cannot, read by `/readyz`.
public final class ReadinessFlag: Sendable {
    private let value = Atomic<Bool>(false)

    public init() {}

    public var isSet: Bool { value.load(ordering: .acquiring) }
    public func set() { value.store(true, ordering: .releasing) }
    public func clear() { value.store(false, ordering: .releasing) }
}
