import DriftCore
import DriftStore
import Foundation

/// The dashboard at `/`: per model, the drift score of every feature over its recent windows with the
/// policy's threshold, a features × windows heat map, prediction latency, accuracy from joined labels, and a
/// timeline of versions, alerts and retrain triggers. Server-rendered HTML and SVG: it works offline and
/// without JavaScript; a few lines of script only mark what the browser drew (for the headless browser test).
struct DashboardPage {
    struct ModelView {
        var name: String
        var settings: MonitorSettings
        var reports: [WindowReport]
        var performance: [PerformanceReport]
        var alerts: [Alert]
        var triggers: [(trigger: RetrainTrigger, outcome: String, result: String?)]
        var versions: [StateStore.VersionRecord]

        /// 2: drifted windows or retrain triggers in view; 1: alerts only; 0: nothing to look at.
        var attention: Int {
            if !triggers.isEmpty || reports.contains(where: { $0.status == .drift }) { return 2 }
            return alerts.isEmpty ? 0 : 1
        }
    }

    var models: [ModelView] = []
    let generatedAt = Date()
    /// This instance's state, partitions and lag, as the pipeline last stored them.
    var instance: InstanceStatus?

    init(settings: MonitorServer.ModelSettings, store: StateStore, windows: Int) throws {
        let outcomes = try store.triggerOutcomes()
        let versions = try store.versions()
        instance = try store.instanceStatus()
        for summary in try store.historySummaries() {
            func records<Output: Decodable>(_ kind: StateStore.HistoryKind, as type: Output.Type) throws -> [Output] {
                try store.history(type, .init(kinds: [kind], model: summary.model, limit: windows))
            }
            let reports = try records(.window, as: WindowReport.self)
            guard let first = reports.first.flatMap({ EventTime(rfc3339: $0.window.start) }) else { continue }
            // Performance reports and firings of the windows shown.
            let shown = { (window: WindowReport.Window) in (EventTime(rfc3339: window.end).map { $0 > first } ?? false)
            }
            models.append(
                ModelView(
                    name: summary.model, settings: settings.settings(for: summary.model), reports: reports,
                    performance: try records(.performance, as: PerformanceReport.self).filter { shown($0.window) },
                    alerts: try records(.alert, as: Alert.self).filter { shown($0.data.window) },
                    triggers: try records(.trigger, as: RetrainTrigger.self).filter { shown($0.data.window) }.map {
                        trigger in
                        (trigger, outcomes[trigger.id]?.outcome ?? "pending", outcomes[trigger.id]?.resultVersion)
                    },
                    versions: versions.filter { $0.model == summary.model }))
        }
        // Models with drift or triggers in view first, then those with alerts only, then by name.
        models.sort { a, b in
            a.attention != b.attention ? a.attention > b.attention : a.name < b.name
        }
    }

    func html() -> String {
        var page = """
            <!doctype html><html lang="en"><head><meta charset="utf-8">
            <meta http-equiv="refresh" content="10"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Driftwatch</title><style>\(Self.style)</style></head><body>
            <header><h1>Driftwatch</h1><span class="muted">\(models.count) model\(models.count == 1 ? "" : "s") · updated \(HTML.escape(EventTime(millisecondsSinceEpoch: Int64(generatedAt.timeIntervalSince1970 * 1000)).rfc3339)) · refreshes every 10 s · times are event time (UTC)</span></header>
            \(instance.map { "<p class=\"muted\">instance: \(HTML.escape($0.summary))</p>" } ?? "")
            """
        if models.isEmpty {
            page +=
                "<p class=\"empty\">No window has been reported yet. Reports appear here as soon as the monitor closes its first window.</p>"
        } else {
            page += overview()
            for (index, model) in models.enumerated() { page += section(model, index: index) }
        }
        return page + "<script>\(Self.renderCheck)</script></body></html>"
    }

    private func overview() -> String {
        var rows = ""
        for model in models {
            guard let latest = model.reports.last else { continue }
            let drifted = latest.driftedFeatures.map(\.name)
            let accuracy = model.performance.last?.metrics?.accuracy.map(SVGChart.format) ?? "–"
            rows +=
                "<tr><td><a href=\"#model-\(HTML.escape(model.name))\">\(HTML.escape(model.name))</a></td>"
                + "<td>\(HTML.escape(latest.modelVersion))</td><td>\(badge(latest.status.rawValue))</td>"
                + "<td>\(drifted.isEmpty ? "–" : HTML.escape(drifted.joined(separator: ", ")))</td>"
                + "<td>\(accuracy)</td><td>\(model.alerts.count)</td><td>\(model.triggers.count)</td>"
                + "<td>\(SVGChart.clock(EventTime(rfc3339: latest.window.end)?.millisecondsSinceEpoch ?? 0))</td></tr>"
        }
        return
            "<table class=\"overview\"><thead><tr><th>model</th><th>version</th><th>last window</th><th>drifted features</th><th>accuracy</th><th>alerts</th><th>triggers</th><th>window end</th></tr></thead><tbody>\(rows)</tbody></table>"
    }

    private func section(_ model: ModelView, index: Int) -> String {
        let starts = model.reports.compactMap { EventTime(rfc3339: $0.window.start)?.millisecondsSinceEpoch }
        let ends = model.reports.compactMap { EventTime(rfc3339: $0.window.end)?.millisecondsSinceEpoch }
        guard let low = starts.min(), let high = ends.max() else { return "" }
        let chart = SectionChart(id: "m\(index)", domain: low...max(high, low + 1), markers: Self.versionMarkers(model))
        var html =
            "<section id=\"model-\(HTML.escape(model.name))\"><h2>\(HTML.escape(model.name)) <span class=\"muted\">"
            + "version \(HTML.escape(model.reports.last!.modelVersion)) · \(model.reports.count) windows</span></h2>"
        html += drift(model, chart)
        html += multivariate(model, chart)
        html += "<div class=\"pair\"><div><h3>Prediction latency (ms)</h3>"
        let latency = [("p50", \WindowReport.Latency.p50), ("p95", \.p95), ("p99", \.p99)].enumerated().map {
            offset, entry in
            SVGChart.Series(
                name: entry.0, color: SVGChart.palette[offset],
                points: Self.byVersion(model.reports, version: \.modelVersion, x: Self.end) {
                    $0.latency?[keyPath: entry.1]
                })
        }
        html += SVGChart.lines(
            id: "\(chart.id)-latency", kind: "latency", unit: "ms", series: latency, domain: chart.domain,
            markers: chart.markers)
        html += legend(latency) + "</div><div>" + quality(model, chart) + "</div></div>"
        html += "<h3>Versions, alerts and retraining</h3>" + timeline(model, chart, start: low)
        html += firings(model)
        return html + "</section>"
    }

    /// What the charts of one model's section share: an id prefix, the time domain, the version markers.
    private struct SectionChart {
        var id: String
        var domain: ClosedRange<Int64>
        var markers: [SVGChart.Marker]
    }

    private static func end(_ report: WindowReport) -> Int64 {
        EventTime(rfc3339: report.window.end)?.millisecondsSinceEpoch ?? 0
    }

    /// A vertical line where each new version's first window ends.
    private static func versionMarkers(_ model: ModelView) -> [SVGChart.Marker] {
        var markers: [SVGChart.Marker] = []
        var previous: String?
        for report in model.reports where report.modelVersion != previous {
            if previous != nil {
                markers.append(.init(x: end(report), label: "v\(report.modelVersion)", color: "#555555"))
            }
            previous = report.modelVersion
        }
        return markers
    }

    /// Each version's windows are a line of their own: a gap where the version changes.
    private static func byVersion<Report>(
        _ reports: [Report], version: (Report) -> String, x: (Report) -> Int64, y: (Report) -> Double?
    ) -> [(x: Int64, y: Double?)] {
        var points: [(x: Int64, y: Double?)] = []
        for (index, report) in reports.enumerated() {
            if index > 0 && version(reports[index - 1]) != version(report) { points.append((x(report), nil)) }
            points.append((x(report), y(report)))
        }
        return points
    }

    /// The drift score per feature over the windows, against the policy's threshold, and the heat map.
    private func drift(_ model: ModelView, _ chart: SectionChart) -> String {
        let threshold = psiThreshold(model.settings)
        let features = Array(Set(model.reports.flatMap { $0.features.map(\.name) })).sorted()
        let series = features.enumerated().map { offset, feature in
            SVGChart.Series(
                name: feature, color: SVGChart.palette[offset % SVGChart.palette.count],
                points: Self.byVersion(model.reports, version: \.modelVersion, x: Self.end) { report in
                    report.features.first { $0.name == feature }?.psi?.value
                },
                flagged: Set(
                    model.reports.filter { $0.features.contains { $0.name == feature && $0.drifted } }.map(Self.end)))
        }
        var html = "<h3>Drift score per feature (PSI)</h3>"
        html += SVGChart.lines(
            id: "\(chart.id)-drift", kind: "drift", unit: "PSI", series: series, domain: chart.domain,
            threshold: .init(value: threshold, label: "threshold \(SVGChart.format(threshold))"), markers: chart.markers
        )
        html += legend(series)
        html +=
            "<h3>Features × windows <span class=\"muted\">(PSI relative to the threshold; outlined: drifted)</span></h3>"
        html += SVGChart.heatMap(
            id: "\(chart.id)-heatmap", rows: features,
            columns: model.reports.map { "v\($0.modelVersion) \(SVGChart.clock(Self.end($0)))" },
            value: { feature, column in model.reports[column].features.first { $0.name == feature }?.psi?.value },
            flagged: { feature, column in
                model.reports[column].features.contains { $0.name == feature && $0.drifted }
            },
            threshold: threshold)
        return html
    }

    /// The features taken together: the mean reconstruction error per window against the reference's upper
    /// bound (the last window's), and the domain classifier's AUC when it runs.
    private func multivariate(_ model: ModelView, _ chart: SectionChart) -> String {
        let errors = model.reports.compactMap { $0.multivariate?.reconstructionError }
        guard let last = errors.last else { return "" }
        var series = [
            SVGChart.Series(
                name: "reconstruction error", color: SVGChart.palette[0],
                points: Self.byVersion(model.reports, version: \.modelVersion, x: Self.end) {
                    $0.multivariate?.reconstructionError?.value
                },
                flagged: Set(
                    model.reports.filter { $0.multivariate?.reconstructionError?.alert == true }.map(Self.end)))
        ]
        if model.reports.contains(where: { $0.multivariate?.domainClassifier != nil }) {
            series.append(
                SVGChart.Series(
                    name: "domain classifier AUC", color: SVGChart.palette[1],
                    points: Self.byVersion(model.reports, version: \.modelVersion, x: Self.end) {
                        $0.multivariate?.domainClassifier?.auc
                    }))
        }
        return "<h3>Features together <span class=\"muted\">(PCA reconstruction error; outlined: outside the "
            + "reference's bounds)</span></h3>"
            + SVGChart.lines(
                id: "\(chart.id)-multivariate", kind: "multivariate", unit: "error", series: series,
                domain: chart.domain,
                threshold: last.upper.map { .init(value: $0, label: "upper bound \(SVGChart.format($0))") },
                markers: chart.markers)
            + legend(series)
    }

    /// Classification models show accuracy, regression models MAE (with the policy's rule on it, if any).
    private func quality(_ model: ModelView, _ chart: SectionChart) -> String {
        let regression =
            !model.performance.contains { $0.metrics?.accuracy != nil }
            && model.performance.contains { $0.metrics?.mae != nil }
        let metric: (name: String, statistic: PolicyRule.Statistic, value: (PerformanceReport.Metrics) -> Double?) =
            regression ? ("MAE", .mae, { $0.mae }) : ("accuracy", .accuracy, { $0.accuracy })
        let estimated = !regression && model.reports.contains { $0.estimated != nil }
        let html =
            "<h3>\(regression ? "Mean absolute error" : "Accuracy") (labels joined\(estimated ? "; estimated before them" : ""))</h3>"
        guard estimated || model.performance.contains(where: { $0.metrics.flatMap(metric.value) != nil }) else {
            return html + "<p class=\"empty\">No performance report yet (labels off, or still within their TTL).</p>"
        }
        var series = [
            SVGChart.Series(
                name: metric.name, color: SVGChart.palette[0],
                points: Self.byVersion(
                    model.performance, version: \.modelVersion,
                    x: { EventTime(rfc3339: $0.window.end)?.millisecondsSinceEpoch ?? 0 },
                    y: { $0.metrics.flatMap(metric.value) }))
        ]
        if estimated {
            series.append(
                SVGChart.Series(
                    name: "estimated (CBPE)", color: SVGChart.palette[1],
                    points: Self.byVersion(model.reports, version: \.modelVersion, x: Self.end) {
                        $0.estimated?.accuracy.value
                    }))
        }
        let limit = performanceLimit(model.settings, metric.statistic)
        return html
            + SVGChart.lines(
                id: "\(chart.id)-quality", kind: "quality", unit: metric.name, series: series, domain: chart.domain,
                threshold: limit.map {
                    .init(
                        value: $0.threshold, label: "\($0.above ? "ceiling" : "floor") \(SVGChart.format($0.threshold))"
                    )
                },
                markers: chart.markers, minimumTop: regression ? 0 : 1) + (estimated ? legend(series) : "")
    }

    /// Versions, alerts and retrain triggers on one time line.
    private func timeline(_ model: ModelView, _ chart: SectionChart, start low: Int64) -> String {
        var events: [SVGChart.TimelineEvent] = []
        var previous: String?
        for report in model.reports where report.modelVersion != previous {
            events.append(
                .init(
                    x: EventTime(rfc3339: report.window.start)?.millisecondsSinceEpoch ?? low, row: 0,
                    label: "v\(report.modelVersion)", color: "#555555", shape: .bar))
            previous = report.modelVersion
        }
        for alert in model.alerts {
            let x = EventTime(rfc3339: alert.data.window.end)?.millisecondsSinceEpoch ?? low
            events.append(
                .init(
                    x: x, row: 1,
                    label: "\(alert.data.rule) (\(alert.data.severity.rawValue)) at \(alert.data.window.end)",
                    color: alert.data.severity == .critical ? "#c62828" : "#f28e2b", shape: .triangle))
        }
        for entry in model.triggers {
            let x = EventTime(rfc3339: entry.trigger.data.window.end)?.millisecondsSinceEpoch ?? low
            let result = entry.result.map { " → v\($0)" } ?? ""
            events.append(
                .init(
                    x: x, row: 2,
                    label: "\(entry.trigger.data.rule) at \(entry.trigger.data.window.end): \(entry.outcome)\(result)",
                    color: "#4e79a7", shape: .diamond))
        }
        return SVGChart.timeline(
            id: "\(chart.id)-timeline", rows: ["versions", "alerts", "triggers"], events: events, domain: chart.domain)
    }

    private func firings(_ model: ModelView) -> String {
        var rows: [(String, String)] = []
        for alert in model.alerts {
            let features =
                (alert.data.features.map(\.name)
                + alert.data.windowBreaches.map {
                    "\($0.statistic) \(SVGChart.format($0.value)) (\($0.comparison) \(SVGChart.format($0.threshold)))"
                }).joined(separator: ", ")
            rows.append(
                (
                    alert.data.window.end,
                    "<tr><td>\(HTML.escape(alert.data.window.end))</td><td>alert</td><td>\(HTML.escape(alert.data.rule))</td><td>\(badge(alert.data.severity.rawValue))</td><td>\(HTML.escape(features))</td><td></td></tr>"
                ))
        }
        for entry in model.triggers {
            let features = entry.trigger.data.features.map(\.name).joined(separator: ", ")
            let result = entry.outcome + (entry.result.map { " → v\($0)" } ?? "")
            rows.append(
                (
                    entry.trigger.data.window.end,
                    "<tr><td>\(HTML.escape(entry.trigger.data.window.end))</td><td>retrain</td><td>\(HTML.escape(entry.trigger.data.rule))</td><td>\(badge(entry.trigger.data.severity.rawValue))</td><td>\(HTML.escape(features))</td><td>\(HTML.escape(result))</td></tr>"
                ))
        }
        var html = ""
        if !rows.isEmpty {
            html +=
                "<table><thead><tr><th>window end</th><th>kind</th><th>rule</th><th>severity</th><th>evidence</th><th>outcome</th></tr></thead><tbody>"
            html += rows.sorted { $0.0 > $1.0 }.prefix(10).map(\.1).joined() + "</tbody></table>"
        }
        if !model.versions.isEmpty {
            html +=
                "<table><thead><tr><th>version</th><th>status</th><th>parent</th><th>trained on</th><th>registered</th></tr></thead><tbody>"
            for version in model.versions.reversed() {
                let range = [version.trainingFrom, version.trainingTo].compactMap { $0 }.joined(separator: " – ")
                html +=
                    "<tr><td>\(HTML.escape(version.version))</td><td>\(badge(version.status.rawValue))</td><td>\(HTML.escape(version.parentVersion ?? "–"))</td><td>\(HTML.escape(range))</td><td>\(HTML.escape(version.createdAt))</td></tr>"
            }
            html += "</tbody></table>"
        }
        return html
    }

    private func legend(_ series: [SVGChart.Series]) -> String {
        "<div class=\"legend\">"
            + series.map {
                "<span><i style=\"background:\($0.color)\"></i>\(HTML.escape($0.name))</span>"
            }.joined() + "</div>"
    }

    private func badge(_ status: String) -> String {
        "<span class=\"badge \(HTML.escape(status))\">\(HTML.escape(status.replacingOccurrences(of: "_", with: " ")))</span>"
    }

    /// The PSI threshold of the model's first feature rule with a PSI condition (the policy's default otherwise).
    private func psiThreshold(_ settings: MonitorSettings) -> Double {
        settings.policy.effectiveRules.lazy.flatMap(\.conditions).first { $0.statistic == .psi && $0.above }?.threshold
            ?? settings.policy.psiThreshold
    }

    /// The first performance rule's condition on `statistic`.
    private func performanceLimit(_ settings: MonitorSettings, _ statistic: PolicyRule.Statistic) -> PolicyRule
        .Condition?
    {
        settings.policy.effectiveRules.lazy.flatMap(\.conditions).first { $0.statistic == statistic }
    }

    static let style = """
        body{font:14px/1.4 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0 24px 40px;color:#222;background:#fafafa}
        header{display:flex;align-items:baseline;gap:16px;border-bottom:1px solid #ddd;margin-bottom:12px}
        h1{font-size:22px;margin:12px 0}h2{font-size:18px;margin:28px 0 4px}h3{font-size:14px;margin:14px 0 4px;color:#444}
        .muted{color:#777;font-weight:normal;font-size:13px}.empty{color:#777;font-style:italic}
        section{background:#fff;border:1px solid #e3e3e3;border-radius:6px;padding:4px 16px 16px;margin-top:16px}
        svg{display:block;max-width:100%;height:auto;background:#fff}.axis{font-size:11px;fill:#666}
        .threshold-label{font-size:11px;fill:#c62828;font-weight:600}.marker-label{font-size:11px}
        .legend{display:flex;flex-wrap:wrap;gap:4px 14px;font-size:12px;margin:2px 0 6px 56px}
        .legend i{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:4px}
        .pair{display:flex;flex-wrap:wrap;gap:12px}.pair>div{flex:1 1 480px}
        table{border-collapse:collapse;margin:10px 0;font-size:13px}th,td{padding:4px 10px;border-bottom:1px solid #eee;text-align:left}
        th{color:#555;font-weight:600}.overview{background:#fff;border:1px solid #e3e3e3}
        .badge{padding:1px 7px;border-radius:9px;font-size:12px;background:#eee}
        .badge.drift,.badge.critical,.badge.rejected{background:#ffcdd2;color:#7f0000}.badge.ok,.badge.deployed{background:#c8e6c9;color:#1b5e20}
        .badge.warning,.badge.insufficient_data{background:#ffe0b2;color:#7a4100}
        """

    /// Marks what the browser actually drew: per chart the drawn series elements (non-empty boxes) and, for
    /// drift charts, the flagged points above the threshold line. The browser test reads these attributes.
    static let renderCheck = """
        addEventListener('load',()=>{let charts=0;for(const svg of document.querySelectorAll('svg[data-chart]')){
        const drawn=[...svg.querySelectorAll('.series')].filter(e=>{const b=e.getBBox();return b.width>0||b.height>0}).length;
        svg.dataset.rendered=drawn;if(drawn>0)charts++;const line=svg.querySelector('line.threshold');
        if(line&&svg.dataset.chart==='drift'){const y=line.getBBox().y;svg.dataset.aboveThreshold=
        [...svg.querySelectorAll('circle.flagged')].filter(c=>c.getBBox().y+c.getBBox().height/2<y).length}}
        document.body.dataset.chartsRendered=charts});
        """
}
