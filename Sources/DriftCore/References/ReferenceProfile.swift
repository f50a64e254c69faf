import DriftStats

/// What a (model, version)'s windows are compared with: per numeric feature a sorted reference sample (for KS)
/// and the PSI bin edges with the reference's own bin counts; per categorical feature the category counts; and
/// the same for the model's prediction (a score is numeric, a class categorical). Memory is bounded: the KS
/// sample keeps at most `maximumSampleSize` values, evenly spaced order statistics of the full data (every value
/// when there are fewer), while PSI edges and counts always come from the full data.
public struct ReferenceProfile: Sendable, Equatable {
    /// KS samples are capped at this size: scipy's `auto` method is exact up to 10 000 values per side.
    public static let maximumSampleSize = 10_000

    public enum Source: String, Sendable, Codable {
        /// Captured from the first events of the version (`reference.bootstrap_events`).
        case bootstrap
        /// Built offline from a training file (`driftwatch reference build`).
        case file
        /// Received with a `model.deployments` event.
        case deployment
    }

    public struct NumericFeature: Sendable, Equatable {
        public var sortedSample: [Double]
        public var psiEdges: [Double]
        public var psiCounts: [Int]
        /// How many values the profile was built from (the sample may be smaller).
        public var count: Int
        /// The population standard deviation (ddof 0) of the sample: the scale of the normed Wasserstein
        /// effect size. Derived, so it is not part of the stored profile.
        public private(set) var standardDeviation: Double = 0
        /// `Wasserstein.noiseIntegral` of the sample: the calibration of the effect size to the window's size,
        /// computed once per reference (derived too).
        public private(set) var noiseIntegral: Double = 0

        public init(sample: [Double], psiBins: Int, maximumSampleSize: Int = ReferenceProfile.maximumSampleSize) {
            let sorted = RadixSort.sorted(sample)
            psiEdges = PopulationStabilityIndex.referenceQuantileEdges(sortedReference: sorted, bins: psiBins)
            psiCounts = PopulationStabilityIndex.binCounts(sorted, edges: psiEdges)
            count = sorted.count
            sortedSample = Self.evenlySpaced(sorted, count: maximumSampleSize)
            standardDeviation = Self.spread(sortedSample)
            noiseIntegral = Wasserstein.noiseIntegral(sorted: sortedSample)
        }

        public init(sortedSample: [Double], psiEdges: [Double], psiCounts: [Int], count: Int) {
            self.sortedSample = sortedSample
            self.psiEdges = psiEdges
            self.psiCounts = psiCounts
            self.count = count
            standardDeviation = Self.spread(sortedSample)
            noiseIntegral = Wasserstein.noiseIntegral(sorted: sortedSample)
        }

        private static func spread(_ sample: [Double]) -> Double {
            sample.isEmpty ? 0 : Descriptive.standardDeviation(sample)
        }

        /// At most `count` order statistics of `sorted`, the i-th at rank ⌊(i + ½)·n / count⌋ (mid-points of
        /// equal-size blocks), so the sample's empirical distribution stays within 1/count of the full one.
        static func evenlySpaced<Value>(_ sorted: [Value], count: Int) -> [Value] {
            guard sorted.count > count, count > 0 else { return sorted }
            let n = sorted.count
            return (0..<count).map { sorted[Int((Double($0) + 0.5) * Double(n) / Double(count))] }
        }
    }

    /// How a feature (or the prediction) is profiled.
    public enum Feature: Sendable, Equatable {
        case numeric(NumericFeature)
        case categorical(CategoryCounts)
    }

    /// Where a bootstrapped reference's events were read: on that predictions partition, every event of the
    /// version up to `throughOffset` is in the reference, so a replay must not put them into windows.
    public struct Capture: Sendable, Equatable, Codable {
        public var partition: Int32
        public var throughOffset: Int64

        public init(partition: Int32, throughOffset: Int64) {
            self.partition = partition
            self.throughOffset = throughOffset
        }

        /// Whether the predictions read at `offset` of `partition` are part of the reference.
        public func contains(partition: Int32, offset: Int64) -> Bool {
            partition == self.partition && offset <= throughOffset
        }

        enum CodingKeys: String, CodingKey {
            case partition
            case throughOffset = "through_offset"
        }
    }

    public var modelVersion: String
    public var source: Source
    public var captured: Capture?
    public var eventCount: Int
    public var features: [String: Feature]
    /// Nil when the reference saw no predictions of a usable type.
    public var prediction: Feature?
    /// Performance estimation without labels (CBPE), when the reference had labelled scores.
    public var estimation: PerformanceEstimation?
    /// Set when the estimation was fitted later, on the version's first labelled windows: only windows ending
    /// after this time (epoch ms, the last window reported then) are estimated, also when replayed.
    public var estimationFrom: Int64?
    /// Multivariate drift (reconstruction error, domain classifier), when the reference had feature rows.
    public var multivariate: MultivariateReference?

    public init(
        modelVersion: String, source: Source, eventCount: Int, features: [String: Feature], prediction: Feature?
    ) {
        self.modelVersion = modelVersion
        self.source = source
        self.eventCount = eventCount
        self.features = features
        self.prediction = prediction
    }

    /// Values collected per column, before each column gets its type.
    public struct Columns: Sendable {
        public var numbers: [String: [Double]]
        public var categories: [String: CategoryCounts]

        public init(numbers: [String: [Double]] = [:], categories: [String: CategoryCounts] = [:]) {
            self.numbers = numbers
            self.categories = categories
        }

        /// Each column typed by the kind most of its values have (numbers: numeric; strings and bools:
        /// categorical, ties numeric); values of the other kind are counted as wrong-typed in windows.
        func profiled(psiBins: Int) -> [String: Feature] {
            var features: [String: Feature] = [:]
            for name in Set(numbers.keys).union(categories.keys) {
                let numeric = numbers[name]?.count ?? 0
                let categorical = categories[name]?.total ?? 0
                guard numeric + categorical > 0 else { continue }
                features[name] =
                    numeric >= categorical
                    ? .numeric(.init(sample: numbers[name]!, psiBins: psiBins))
                    : .categorical(categories[name]!)
            }
            return features
        }
    }

    /// Fits the multivariate model on the reference's rows (each event's features); left nil when they give none
    /// (fewer than two rows, no feature with values, no variance).
    public mutating func fitMultivariate(rows: [Features], chunkSize: Int? = nil) {
        let names = features.keys.sorted()
        fitMultivariate(columns: rows.map { row in names.map { row[$0] ?? .missing } }, chunkSize: chunkSize)
    }

    /// The same, on rows already laid out as the features in name order (one value per feature).
    public mutating func fitMultivariate(columns rows: [[FeatureValue]], chunkSize: Int? = nil) {
        let names = features.keys.sorted()
        let numeric = names.map { if case .numeric = features[$0]! { true } else { false } }
        multivariate = MultivariateReference.fit(names: names, numeric: numeric, rows: rows, chunkSize: chunkSize)
    }

    /// Fits the calibration and sampling-error components of performance estimation on labelled scores.
    public mutating func fitEstimation(scores: [Double], labels: [Bool], threshold: Double) {
        estimation = PerformanceEstimation.fit(scores: scores, labels: labels, threshold: threshold)
    }

    /// A profile of the feature `values` and, under the name `prediction`, the model's outputs.
    public init(
        modelVersion: String, source: Source, eventCount: Int, values: Columns, predictions: Columns, psiBins: Int
    ) {
        self.init(
            modelVersion: modelVersion, source: source, eventCount: eventCount,
            features: values.profiled(psiBins: psiBins),
            prediction: predictions.profiled(psiBins: psiBins)["prediction"])
    }
}
