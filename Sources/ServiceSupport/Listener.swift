import Synchronization

/// One listening socket of a daemon (the collector's gRPC and HTTP ports,
/// the agent's intake): its name and address for messages, and whether it
/// is bound yet. A daemon says it is ready only once every listener has a
/// port, and a listener that fails before it has one fails with a
/// `ListenError` naming it (`gRPC listen 127.0.0.1:7443: address already
/// in use`), not with the server library's own words for it.
public final class Listener: Sendable {
    public let name: String
    public let address: String

    private enum State {
        case binding(waiters: [CheckedContinuation<Int?, Never>])
        case bound(Int)
        case failed
    }

    private let state = Mutex(State.binding(waiters: []))

    public init(name: String, address: String) {
        self.name = name
        self.address = address
    }

    /// The server is listening on `port` (the real one when 0 was asked for).
    public func bound(port: Int) {
        let waiters = state.withLock { state -> [CheckedContinuation<Int?, Never>] in
            guard case .binding(let waiters) = state else { return [] }
            state = .bound(port)
            return waiters
        }
        for waiter in waiters { waiter.resume(returning: port) }
    }

    /// The bound port, once there is one; nil when the server ended before
    /// it bound.
    public func port() async -> Int? {
        await withCheckedContinuation { continuation in
            let now: Int?? = state.withLock { state in
                switch state {
                case .binding(var waiters):
                    waiters.append(continuation)
                    state = .binding(waiters: waiters)
                    return .none
                case .bound(let port): return .some(port)
                case .failed: return .some(nil)
                }
            }
            if case .some(let port) = now { continuation.resume(returning: port) }
        }
    }

    /// Runs the server; an error before it bound is a `ListenError`.
    /// `cause` digs the socket's own error out of a library's wrapper.
    public func serve(_ body: () async throws -> Void, cause: (any Error) -> any Error = { $0 }) async throws {
        do {
            try await body()
            endBinding()
        } catch {
            let wasBound = endBinding()
            if wasBound { throw error }
            throw ListenError(listener: name, address: address, error: cause(error))
        }
    }

    /// Releases anyone waiting for a port that will not come; true when
    /// the listener had bound.
    @discardableResult
    private func endBinding() -> Bool {
        let (waiters, wasBound) = state.withLock { state -> ([CheckedContinuation<Int?, Never>], Bool) in
            switch state {
            case .binding(let waiters):
                state = .failed
                return (waiters, false)
            case .bound: return ([], true)
            case .failed: return ([], false)
            }
        }
        for waiter in waiters { waiter.resume(returning: nil) }
        return wasBound
    }
}
