import DriftStats

/// Checkpoints: what a partition number's state needs to resume after a restart or a hand-over (read
/// offsets, counters, rule states), and restoring it before the partition's events are read again.
extension DriftMonitor {
    /// How far a partition has been read, counting what a restored checkpoint had read already.
    func readOffset(of source: SourcePartition) -> Int64? {
        partitions[source].map { max($0.nextOffset, $0.replayUntil) }
    }

    /// The models read on any stream of a partition number.
    func modelNames(on partition: Int32) -> Set<String> {
        [EventStream.predictions, .features, .labels].reduce(into: Set<String>()) { names, stream in
            names.formUnion(partitions[SourcePartition(stream: stream, partition: partition)]?.models ?? [])
        }
    }

    func deadLetteredCount(on partition: Int32) -> Int { partitions[.predictions(partition)]?.deadLettered ?? 0 }

    func versionStates(of names: Set<String>) -> [MonitorCheckpoint.Version] {
        models.filter { names.contains($0.key.model) }.sorted { $0.key < $1.key }.map { key, state in
            MonitorCheckpoint.Version(
                model: key.model, version: key.version, late: state.late, closedThrough: state.closedThrough,
                countedThrough: state.countedThrough, performanceReportedThrough: state.performanceReportedThrough,
                rules: state.rules, predictionDetectors: state.predictionDetectors,
                errorDetectors: state.errorDetectors,
                calibration: state.calibration.isEmpty ? nil : state.calibration)
        }
    }

    func modelCounters(of names: Set<String>) -> [MonitorCheckpoint.Model] {
        names.sorted().compactMap { name in
            joins[name].map {
                MonitorCheckpoint.Model(
                    model: name, unmatchedFeatures: $0.unmatchedFeatures, unmatchedLabels: $0.unmatchedLabels,
                    referenceRequests: $0.referenceRequests.sorted())
            }
        }
    }

    /// Starts a partition number from a checkpoint, before any of its events is ingested: reading resumes at
    /// the checkpoint's resume points, and what was counted or reported before it is not again.
    public mutating func restore(_ checkpoint: MonitorCheckpoint) {
        let names = Set(checkpoint.versions.map(\.model) + checkpoint.models.map(\.model))
        for (name, point) in checkpoint.resume {
            guard let stream = EventStream(rawValue: name) else { continue }
            let source = SourcePartition(stream: stream, partition: checkpoint.partition)
            var state = PartitionState(nextOffset: point.offset)
            state.replayUntil = checkpoint.read[name] ?? point.offset
            if stream == .predictions {
                state.highestEventTime = point.clock
                state.deadLettered = checkpoint.deadLettered
                state.models = names
            }
            partitions[source] = state
        }
        partialStarts[checkpoint.partition] = checkpoint.partial
        for version in checkpoint.versions {
            let key = ModelKey(model: version.model, version: version.version)
            models[key, default: ModelState()].late = version.late
            models[key]!.closedThrough = version.closedThrough
            models[key]!.countedThrough = version.countedThrough
            models[key]!.performanceReportedThrough = version.performanceReportedThrough
            models[key]!.rules = version.rules
            models[key]!.predictionDetectors = version.predictionDetectors
            models[key]!.errorDetectors = version.errorDetectors
            models[key]!.calibration = version.calibration ?? CalibrationSample()
        }
        for model in checkpoint.models {
            joins[model.model, default: ModelJoin()].unmatchedFeatures = model.unmatchedFeatures
            joins[model.model]!.unmatchedLabels = model.unmatchedLabels
            joins[model.model]!.referenceRequests.formUnion(model.referenceRequests)
        }
        if checkpoint.resume[EventStream.predictions.rawValue] != nil {
            for name in names { joins[name, default: ModelJoin()].partition = checkpoint.partition }
        }
    }
}
