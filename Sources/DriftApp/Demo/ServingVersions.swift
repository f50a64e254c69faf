import DriftCore
import DriftStats
import Synchronization

/// Which version serves each demo model: the built-in one until a deployment with parameters arrives on
/// `model.deployments`, then the deployed logistic regression (what a serving layer would load). Shared by
/// the traffic generator (which scores with it) and the watcher (which reads the deployments).
public final class ServingVersions: Sendable {
    struct Serving: Sendable {
        var version: String
        var parameters: DeploymentEvent.Parameters?
    }

    private let serving: Mutex<[String: Serving]>

    init(_ models: [DemoModel]) {
        serving = Mutex(Dictionary(uniqueKeysWithValues: models.map { ($0.name, Serving(version: $0.version)) }))
    }

    /// Serves a deployed version from now on, if it carries parameters for a model of the demo.
    /// Returns whether it did.
    @discardableResult
    func deploy(_ event: DeploymentEvent) -> Bool {
        guard let parameters = event.parameters else { return false }
        return serving.withLock {
            guard $0[event.model] != nil else { return false }
            $0[event.model] = Serving(version: event.modelVersion, parameters: parameters)
            return true
        }
    }

    func version(of model: String) -> String? { serving.withLock { $0[model]?.version } }

    /// The serving version and its prediction for a request; a missing input is imputed with the mean the
    /// model was trained with.
    func predict(_ model: DemoModel, _ sample: DemoModel.Sample) -> (
        version: String, prediction: PredictionEvent.Prediction
    ) {
        let current = serving.withLock { $0[model.name] } ?? Serving(version: model.version)
        guard let parameters = current.parameters else { return (current.version, sample.prediction) }
        let regression = parameters.logisticRegression
        let row = parameters.features.enumerated().map { index, name in
            sample.features[name].flatMap(TrainingSet.numeric) ?? regression.means[index]
        }
        return (current.version, .score(regression.probability(row)))
    }
}
