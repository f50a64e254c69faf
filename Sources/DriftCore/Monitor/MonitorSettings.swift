import DriftStats

/// How the monitor cuts windows, builds references, joins labels and judges drift, for one model (the
/// configuration's defaults apply to models without settings of their own). `idleTimeout` is per partition
/// and always taken from the defaults.
public struct MonitorSettings: Sendable, Equatable {
    /// How events are grouped into windows (per model and version).
    public enum WindowKind: Sendable, Equatable {
        /// Consecutive windows of `windowSize` by event time, aligned to the Unix epoch.
        case tumbling
        /// Windows of `windowSize` starting every `slide` milliseconds: an event belongs to size/slide windows.
        case hopping(slide: Int64)
        /// Windows of a fixed number of events, in arrival order; they close when full, not by time.
        case count(events: Int)

        public var isHopping: Bool { if case .hopping = self { true } else { false } }
        public var isCount: Bool { if case .count = self { true } else { false } }

        public var name: String {
            switch self {
            case .tumbling: "tumbling"
            case .hopping: "hopping"
            case .count: "count"
            }
        }
    }

    public var windowKind = WindowKind.tumbling
    /// Window size by event time, in milliseconds (tumbling and hopping windows).
    public var windowSize: Int64 = 60_000
    /// How far behind the highest event time of a partition an event may be and still count.
    public var allowedLateness: Int64 = 5_000
    /// After this long without events (wall clock, milliseconds), a partition's watermark advances with the wall
    /// clock, so its windows still close. Nil turns that off.
    public var idleTimeout: Int64? = 30_000
    /// Events of a new version captured as its reference when none is configured.
    public var bootstrapEvents: Int = 1_000
    /// PSI bins (`reference-quantiles` convention).
    public var psiBins: Int = PopulationStabilityIndex.defaultBins
    /// Event-time lookback suggested to the trainer in a retrain trigger.
    public var trainingLookback: Int64 = 24 * 3_600_000
    public var policy = DriftPolicy()
    public var labels = LabelSettings()
    public var multivariate = MultivariateSettings()

    public init() {}
}
