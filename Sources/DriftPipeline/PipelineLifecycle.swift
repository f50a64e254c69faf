import Synchronization

/// Where the pipeline is in its life, one state at a time (swift-kafka-client's consumer keeps such a state
/// machine too). `/readyz` and the `driftwatch_ready` gauge are read from it.
///
///     restoring ──▶ awaitingAssignment ──▶ catchingUp ──▶ running
///                                              ▲             │  (a new assignment)
///                                              └─────────────┘
///     any state ──▶ draining ──▶ finished
package final class PipelineLifecycle: Sendable {
    package enum State: Equatable, Sendable {
        /// Reading the state topics (references, checkpoints) before joining the consumer group.
        case restoring
        /// Subscribed: waiting for the group to assign partitions.
        case awaitingAssignment
        /// Partitions assigned: reading what other instances published (references, checkpoints) before their
        /// checkpoints are restored. Events are processed meanwhile only if the state topics do not answer.
        case catchingUp
        /// Processing events.
        case running
        /// Stopping: the batch in hand, the final checkpoints, leaving the group.
        case draining
        case finished
    }

    private let state = Mutex(State.restoring)

    package init() {}

    package var current: State { state.withLock { $0 } }

    /// Ready: processing events with every assigned partition's state restored.
    package var isReady: Bool { current == .running }

    /// Moves to `next`. A move the diagram does not have is a bug in the pipeline.
    package func move(to next: State) {
        state.withLock { state in
            precondition(Self.allows(state, next), "pipeline lifecycle: \(state) → \(next) is not a transition")
            state = next
        }
    }

    static func allows(_ from: State, _ to: State) -> Bool {
        switch (from, to) {
        case (.restoring, .awaitingAssignment), (.awaitingAssignment, .catchingUp), (.catchingUp, .running),
            (.running, .catchingUp), (.catchingUp, .catchingUp), (.draining, .finished):
            true
        case (_, .draining):
            from != .finished && from != .draining
        default:
            false
        }
    }
}
