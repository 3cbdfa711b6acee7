import Synchronization

/// Set once the gRPC port is listening; read by `/readyz`.
final class ReadinessFlag: Sendable {
    private let value = Atomic<Bool>(false)

    var isSet: Bool { value.load(ordering: .acquiring) }

    func set() { value.store(true, ordering: .releasing) }
}
