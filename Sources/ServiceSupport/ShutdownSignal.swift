import Synchronization

/// Fires once, when a graceful shutdown begins, so long-lived work (a push
/// or watch stream that would otherwise never end) can wind down on its own.
public final class ShutdownSignal: Sendable {
    private struct State {
        var fired = false
        var handlers: [Int: @Sendable () -> Void] = [:]
        var nextID = 0
    }

    private let state = Mutex(State())

    public init() {}

    public var hasFired: Bool { state.withLock { $0.fired } }

    public func fire() {
        let handlers = state.withLock { state -> [@Sendable () -> Void] in
            state.fired = true
            defer { state.handlers.removeAll() }
            return Array(state.handlers.values)
        }
        for handler in handlers { handler() }
    }

    /// Runs `operation`, calling `onFire` once if the signal fires meanwhile
    /// (or had fired already): work that can be told to end this way needs
    /// no task of its own waiting for the signal.
    public func withHandler<T>(_ operation: () async throws -> T, onFire: @escaping @Sendable () -> Void) async rethrows -> T {
        let id = state.withLock { state -> Int? in
            if state.fired { return nil }
            state.nextID += 1
            state.handlers[state.nextID] = onFire
            return state.nextID
        }
        if id == nil { onFire() }
        defer { if let id { state.withLock { _ = $0.handlers.removeValue(forKey: id) } } }
        return try await operation()
    }
}
