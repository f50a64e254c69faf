import Dispatch
import Synchronization

/// Closed from the start of a batch until its outputs are acknowledged. A rebalance, which runs in the poll
/// that reads the next batch ahead, waits here, so it lands between batches: a revocation's final checkpoint
/// covers the batch and must not go out before its outputs (the commit protocol's order), and a loss must not
/// drop a partition whose messages the batch is about to ingest.
final class AcknowledgementGate: Sendable {
    private let state = Mutex<(closed: Bool, waiters: [DispatchSemaphore])>((false, []))

    func close() {
        state.withLock { $0.closed = true }
    }

    /// Opens the gate and lets every waiter through; opening an open gate does nothing.
    func open() {
        let waiters = state.withLock { state in
            state.closed = false
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.signal() }
    }

    /// Blocks the calling thread (a Kafka poll thread, never Swift's pool) while the gate is closed.
    func waitUntilOpen() {
        let semaphore = DispatchSemaphore(value: 0)
        let closed = state.withLock { state in
            if state.closed { state.waiters.append(semaphore) }
            return state.closed
        }
        if closed { semaphore.wait() }
    }
}
