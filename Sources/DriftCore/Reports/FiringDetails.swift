/// The `data` of an alert or a retrain trigger: which rule fired on which window of which (model, version),
/// and the evidence (breaching features and window statistics with values and thresholds). Triggers add the
/// event-time range of recent traffic to retrain on.
public struct FiringDetails: Codable, Sendable, Equatable {
    public struct TimeRange: Codable, Sendable, Equatable {
        public var from: String
        public var to: String
    }

    public var model: String
    public var modelVersion: String
    public var referenceVersion: String
    public var window: WindowReport.Window
    public var reportID: String
    public var rule: String
    public var severity: PolicyRule.Severity
    /// The features that breached the rule, each with the statistics, values and thresholds.
    public var features: [RuleEvidence.Feature]
    public var windowBreaches: [RuleEvidence.Breach]
    /// Triggers only: the lookback before the window's end.
    public var suggestedTrainingRange: TimeRange?

    init(report: WindowReport, evidence: RuleEvidence) {
        self.init(
            model: report.model, modelVersion: report.modelVersion, referenceVersion: report.reference.version,
            window: report.window, reportID: report.id, evidence: evidence)
    }

    /// A performance rule's firing: the evidence is the metrics below (or above) their thresholds.
    init(performance report: PerformanceReport, evidence: RuleEvidence) {
        self.init(
            model: report.model, modelVersion: report.modelVersion, referenceVersion: report.referenceVersion,
            window: report.window, reportID: report.id, evidence: evidence)
    }

    private init(
        model: String, modelVersion: String, referenceVersion: String, window: WindowReport.Window, reportID: String,
        evidence: RuleEvidence
    ) {
        self.model = model
        self.modelVersion = modelVersion
        self.referenceVersion = referenceVersion
        self.window = window
        self.reportID = reportID
        rule = evidence.rule
        severity = evidence.severity
        features = evidence.features
        windowBreaches = evidence.windowBreaches
    }

    /// `model/version/window-end/rule`: the deterministic id of this firing's alert and trigger.
    var eventID: String { "\(model)/\(modelVersion)/\(window.end)/\(rule)" }

    enum CodingKeys: String, CodingKey {
        case model
        case modelVersion = "model_version"
        case referenceVersion = "reference_version"
        case window
        case reportID = "report_id"
        case rule, severity, features
        case windowBreaches = "window_breaches"
        case suggestedTrainingRange = "suggested_training_range"
    }
}
