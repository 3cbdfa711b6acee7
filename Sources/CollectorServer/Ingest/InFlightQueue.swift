/// The batches one push stream has received but not yet acknowledged.
///
/// `put` suspends while `capacity` batches are in flight, so a fast agent is
/// held back by HTTP/2 flow control rather than by collector memory; `takeAll`
/// hands the committer everything waiting, which it commits in one
/// transaction (group commit).
actor InFlightQueue<Element: Sendable> {
    private let capacity: Int
    private var waiting: [Element] = []
    private var inFlight = 0
    private var finished = false
    private var producers: [CheckedContinuation<Void, Never>] = []
    private var consumer: CheckedContinuation<Void, Never>?

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// Adds an element; returns false when the queue was finished meanwhile.
    func put(_ element: Element) async -> Bool {
        while inFlight >= capacity && !finished {
            await withCheckedContinuation { producers.append($0) }
        }
        guard !finished else { return false }
        waiting.append(element)
        inFlight += 1
        consumer?.resume()
        consumer = nil
        return true
    }

    /// Everything waiting, or `nil` once finished and drained.
    func takeAll() async -> [Element]? {
        while waiting.isEmpty {
            if finished { return nil }
            await withCheckedContinuation { consumer = $0 }
        }
        defer { waiting.removeAll(keepingCapacity: true) }
        return waiting
    }

    /// Frees room once `count` elements have been acknowledged.
    func release(_ count: Int) {
        inFlight -= count
        wakeProducers()
    }

    /// No more elements will be put; waiters are woken.
    func finish() {
        finished = true
        consumer?.resume()
        consumer = nil
        wakeProducers()
    }

    private func wakeProducers() {
        let woken = producers
        producers.removeAll()
        for producer in woken { producer.resume() }
    }
}
