import Dispatch
import Logging
import Synchronization

/// An idempotent Kafka producer whose sends complete when the broker acknowledges them (delivery reports).
/// A dedicated dispatch thread serves `rd_kafka_poll`, where librdkafka calls the delivery report callback.
public final class KafkaProducer: Sendable {
    private let client: RDKafkaClient
    private let poller: Poller

    public init(configuration: KafkaProducerConfiguration, logger: Logger) throws {
        client = try RDKafkaClient(.producer, properties: configuration.librdkafkaProperties(), logger: logger)
        poller = Poller(client: client)
    }

    deinit {
        // Without `close` first: the thread must let go of the client before the handle is destroyed.
        poller.stopBlocking()
    }

    /// Sends `messages` and returns once every one is acknowledged, their reports in the same order. Throws
    /// the first delivery error after all have completed: a caller that retries may duplicate the ones that
    /// succeeded, which is why Driftwatch's outputs carry deterministic ids.
    @discardableResult
    public func send(_ messages: [KafkaOutgoingMessage]) async throws -> [KafkaDeliveryReport] {
        try await deliver(messages).map { try $0.get() }
    }

    /// Sends `messages` and returns once every one is acknowledged or has failed: each message's outcome, in
    /// the same order, so a caller can deal with each failure by its kind (`KafkaError.disposition`).
    public func deliver(_ messages: [KafkaOutgoingMessage]) async -> [Result<KafkaDeliveryReport, KafkaError>] {
        guard !messages.isEmpty else { return [] }
        let batch = DeliveryBatch(count: messages.count)
        for (index, message) in messages.enumerated() {
            let ticket = RDKafkaDeliveryTicket { batch.complete(index, $0) }
            while true {
                switch client.produce(message, ticket: ticket) {
                case .queued:
                    break
                case .queueFull:
                    try? await Task.sleep(for: .milliseconds(2))
                    continue
                case .failed(let error):
                    batch.complete(index, .failure(error))
                }
                break
            }
        }
        return await batch.wait()
    }

    /// Sends one message and returns where it was stored.
    @discardableResult
    public func send(_ message: KafkaOutgoingMessage) async throws -> KafkaDeliveryReport {
        try await send([message])[0]
    }

    /// Waits for every queued message, then stops serving callbacks. Call before dropping the producer.
    public func close(timeout: Duration = .seconds(30)) async throws {
        let client = self.client
        let milliseconds = Int32(clamping: timeout.milliseconds)
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
            DispatchQueue.global().async { [unowned client] in  // see Poller: the producer owns the client
                continuation.resume(with: Result { try client.flush(timeoutMilliseconds: milliseconds) })
            }
        }
        await poller.stop()
    }
}

/// Serves `rd_kafka_poll` on its own thread until stopped. The producer owns the client and stops the poller
/// before letting it go, so the thread holds it unowned: the handle is always destroyed by the producer's
/// owner, never by this thread racing a process exit (a segfault seen once at the end of `generate`).
private final class Poller: Sendable {
    private let running = Atomic<Bool>(true)
    /// Whether the thread has served its last poll, or who awaits that.
    private let stopped = Mutex<(done: Bool, waiter: CheckedContinuation<Void, Never>?)>((false, nil))
    /// Signalled with the last poll, for `deinit` (which cannot await).
    private let finished = DispatchSemaphore(value: 0)

    init(client: RDKafkaClient) {
        DispatchQueue(label: "driftwatch.kafka.producer.poll").async { [self, unowned client] in
            while running.load(ordering: .acquiring) {
                client.poll(timeoutMilliseconds: 50)
            }
            client.poll(timeoutMilliseconds: 0)
            let waiter = stopped.withLock { state in
                state.done = true
                return state.waiter
            }
            waiter?.resume()
            finished.signal()
        }
    }

    /// `stop` for a deinitializer: blocks the calling thread (never Swift's pool: see `KafkaProducer.deinit`).
    func stopBlocking() {
        if running.exchange(false, ordering: .acquiringAndReleasing) { finished.wait() }
    }

    /// Stops the thread and returns once it has served its last poll (at most one 50 ms poll later).
    func stop() async {
        guard running.exchange(false, ordering: .acquiringAndReleasing) else { return }
        await withCheckedContinuation { continuation in
            let done = stopped.withLock { state in
                if !state.done { state.waiter = continuation }
                return state.done
            }
            if done { continuation.resume() }
        }
    }
}

/// Collects the delivery reports of one `send` call and resumes its waiter when the last one arrives.
private final class DeliveryBatch: Sendable {
    typealias Outcome = Result<KafkaDeliveryReport, KafkaError>

    private struct State {
        var outcomes: [Outcome?]
        var remaining: Int
        var waiter: CheckedContinuation<[Outcome], Never>?
    }

    private let state: Mutex<State>

    init(count: Int) {
        state = Mutex(State(outcomes: Array(repeating: nil, count: count), remaining: count))
    }

    func complete(_ index: Int, _ result: Outcome) {
        let resume: (CheckedContinuation<[Outcome], Never>, [Outcome])? = state.withLock { state in
            state.outcomes[index] = result
            state.remaining -= 1
            guard state.remaining == 0, let waiter = state.waiter else { return nil }
            state.waiter = nil
            return (waiter, state.outcomes.map { $0! })
        }
        if let (waiter, outcomes) = resume { waiter.resume(returning: outcomes) }
    }

    func wait() async -> [Outcome] {
        await withCheckedContinuation { continuation in
            let ready: [Outcome]? = state.withLock { state in
                if state.remaining == 0 { return state.outcomes.map { $0! } }
                state.waiter = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}
