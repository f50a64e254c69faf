import Foundation

/// Small server-rendered SVG charts for the dashboard: no script, no CDN, readable without JavaScript.
/// Every chart is an `<svg data-chart="…">`; drawn data carries the class `series` (the browser test counts it).
enum SVGChart {
    static let width = 760.0
    static let height = 240.0
    static let margin = (left: 56.0, right: 16.0, top: 14.0, bottom: 30.0)
    /// Tableau 10.
    static let palette = [
        "#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
    ]

    struct Series {
        var name: String
        var color: String
        /// (epoch ms, value); gaps are nil values.
        var points: [(x: Int64, y: Double?)]
        /// Points drawn as highlighted dots (drifted windows).
        var flagged: Set<Int64> = []
    }

    struct Threshold {
        var value: Double
        var label: String
    }

    /// A vertical marker (a new model version, a trigger).
    struct Marker {
        var x: Int64
        var label: String
        var color: String
    }

    /// A line chart over time with an optional threshold line and vertical markers.
    static func lines(
        id: String, kind: String, unit: String, series: [Series], domain: ClosedRange<Int64>,
        threshold: Threshold? = nil,
        markers: [Marker] = [], minimumTop: Double = 0
    ) -> String {
        let values = series.flatMap { $0.points.compactMap(\.y) }
        let top = niceCeiling(max(values.max() ?? 0, (threshold?.value ?? 0) * 1.25, minimumTop, 1e-9))
        let frame = Frame(domain: domain, top: top)
        var svg = open(id: id, kind: kind, extra: threshold.map { "data-threshold=\"\($0.value)\"" } ?? "")
        svg += frame.axes(unit: unit)
        for marker in markers {
            let x = frame.x(marker.x)
            svg +=
                "<line class=\"marker\" x1=\"\(f(x))\" x2=\"\(f(x))\" y1=\"\(f(margin.top))\" y2=\"\(f(height - margin.bottom))\" stroke=\"\(marker.color)\" stroke-dasharray=\"2 3\"/>"
            svg +=
                "<text x=\"\(f(x + 3))\" y=\"\(f(margin.top + 10))\" class=\"marker-label\" fill=\"\(marker.color)\">\(HTML.escape(marker.label))</text>"
        }
        if let threshold {
            let y = frame.y(threshold.value)
            svg +=
                "<line class=\"threshold\" x1=\"\(f(margin.left))\" x2=\"\(f(width - margin.right))\" y1=\"\(f(y))\" y2=\"\(f(y))\" stroke=\"#c62828\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>"
            svg +=
                "<text x=\"\(f(width - margin.right - 4))\" y=\"\(f(y - 4))\" text-anchor=\"end\" class=\"threshold-label\">\(HTML.escape(threshold.label))</text>"
        }
        for item in series {
            for segment in segments(item.points) {
                if segment.count == 1 {
                    svg +=
                        "<circle class=\"series\" cx=\"\(f(frame.x(segment[0].x)))\" cy=\"\(f(frame.y(segment[0].y)))\" r=\"2.5\" fill=\"\(item.color)\"><title>\(HTML.escape(item.name))</title></circle>"
                    continue
                }
                let points = segment.map { "\(f(frame.x($0.x))),\(f(frame.y($0.y)))" }.joined(separator: " ")
                svg +=
                    "<polyline class=\"series\" data-series=\"\(HTML.escape(item.name))\" points=\"\(points)\" fill=\"none\" stroke=\"\(item.color)\" stroke-width=\"1.8\"><title>\(HTML.escape(item.name))</title></polyline>"
            }
            for point in item.points where item.flagged.contains(point.x) {
                guard let y = point.y else { continue }
                svg +=
                    "<circle class=\"point flagged\" cx=\"\(f(frame.x(point.x)))\" cy=\"\(f(frame.y(y)))\" r=\"3.5\" fill=\"\(item.color)\" stroke=\"#c62828\" stroke-width=\"1.5\"><title>\(HTML.escape(item.name)) \(format(y)) at \(clock(point.x))</title></circle>"
            }
        }
        return svg + "</svg>"
    }

    /// Rows × columns of colored cells: each feature's value per window relative to the threshold.
    /// `columns` are the windows' labels; `value` and `flagged` get a row's name and a column's index.
    static func heatMap(
        id: String, rows: [String], columns: [String], value: (String, Int) -> Double?, flagged: (String, Int) -> Bool,
        threshold: Double
    ) -> String {
        let labelWidth = 130.0
        let cellHeight = 16.0
        let chartHeight = margin.top + Double(rows.count) * cellHeight + margin.bottom
        let cellWidth = columns.isEmpty ? 0 : (width - labelWidth - margin.right) / Double(columns.count)
        var svg =
            "<svg data-chart=\"heatmap\" id=\"\(id)\" viewBox=\"0 0 \(f(width)) \(f(chartHeight))\" width=\"\(f(width))\" height=\"\(f(chartHeight))\" role=\"img\">"
        for (row, name) in rows.enumerated() {
            let y = margin.top + Double(row) * cellHeight
            svg +=
                "<text x=\"\(f(labelWidth - 6))\" y=\"\(f(y + cellHeight * 0.72))\" text-anchor=\"end\" class=\"axis\">\(HTML.escape(name))</text>"
            for (column, label) in columns.enumerated() {
                let x = labelWidth + Double(column) * cellWidth
                let cell = value(name, column)
                let drifted = flagged(name, column)
                let fill = cell.map { color(ratio: threshold > 0 ? $0 / threshold : 0) } ?? "#eeeeee"
                let stroke =
                    drifted ? " stroke=\"#7f0000\" stroke-width=\"1.2\"" : " stroke=\"#ffffff\" stroke-width=\"0.5\""
                let title = "\(name) · \(label) · \(cell.map(format) ?? "no value")\(drifted ? " · drifted" : "")"
                svg +=
                    "<rect class=\"series\(drifted ? " drifted" : "")\" x=\"\(f(x))\" y=\"\(f(y))\" width=\"\(f(max(cellWidth, 1)))\" height=\"\(f(cellHeight))\" fill=\"\(fill)\"\(stroke)><title>\(HTML.escape(title))</title></rect>"
            }
        }
        if let first = columns.first, let last = columns.last {
            let y = margin.top + Double(rows.count) * cellHeight + 14
            svg += "<text x=\"\(f(labelWidth))\" y=\"\(f(y))\" class=\"axis\">\(HTML.escape(first))</text>"
            svg +=
                "<text x=\"\(f(width - margin.right))\" y=\"\(f(y))\" text-anchor=\"end\" class=\"axis\">\(HTML.escape(last))</text>"
        }
        return svg + "</svg>"
    }

    /// Events on a time axis: one row per kind (versions, alerts, triggers).
    struct TimelineEvent {
        var x: Int64
        var row: Int
        var label: String
        var color: String
        var shape: Shape

        enum Shape { case triangle, diamond, bar }
    }

    static func timeline(id: String, rows: [String], events: [TimelineEvent], domain: ClosedRange<Int64>) -> String {
        let rowHeight = 26.0
        let chartHeight = margin.top + Double(rows.count) * rowHeight + margin.bottom
        let frame = Frame(domain: domain, top: 1, height: chartHeight)
        var svg =
            "<svg data-chart=\"timeline\" id=\"\(id)\" viewBox=\"0 0 \(f(width)) \(f(chartHeight))\" width=\"\(f(width))\" height=\"\(f(chartHeight))\" role=\"img\">"
        for (index, row) in rows.enumerated() {
            let y = margin.top + Double(index) * rowHeight + rowHeight / 2
            svg +=
                "<text x=\"\(f(margin.left - 6))\" y=\"\(f(y + 4))\" text-anchor=\"end\" class=\"axis\">\(HTML.escape(row))</text>"
            svg +=
                "<line x1=\"\(f(margin.left))\" x2=\"\(f(width - margin.right))\" y1=\"\(f(y))\" y2=\"\(f(y))\" stroke=\"#dddddd\"/>"
        }
        svg += frame.timeTicks()
        for event in events {
            let x = frame.x(event.x)
            let y = margin.top + Double(event.row) * rowHeight + rowHeight / 2
            let title = "<title>\(HTML.escape(event.label))</title>"
            switch event.shape {
            case .triangle:
                svg +=
                    "<path class=\"series\" d=\"M\(f(x)) \(f(y - 7)) L\(f(x + 7)) \(f(y + 6)) L\(f(x - 7)) \(f(y + 6)) Z\" fill=\"\(event.color)\">\(title)</path>"
            case .diamond:
                svg +=
                    "<path class=\"series\" d=\"M\(f(x)) \(f(y - 7)) L\(f(x + 7)) \(f(y)) L\(f(x)) \(f(y + 7)) L\(f(x - 7)) \(f(y)) Z\" fill=\"\(event.color)\">\(title)</path>"
            case .bar:
                svg +=
                    "<rect class=\"series\" x=\"\(f(x - 1.5))\" y=\"\(f(y - 9))\" width=\"3\" height=\"18\" fill=\"\(event.color)\">\(title)</rect>"
                svg +=
                    "<text x=\"\(f(x + 5))\" y=\"\(f(y + 4))\" class=\"marker-label\" fill=\"\(event.color)\">\(HTML.escape(event.label))</text>"
            }
        }
        return svg + "</svg>"
    }

    /// Reference against current as shares over the same bins: overlapping bars over a numeric axis when
    /// `edges` are given (a histogram; one more edge than shares), else grouped bars per named category.
    static func distribution(
        id: String, labels: [String], edges: [Double]?, reference: [Double], current: [Double]
    ) -> String {
        let height = 200.0
        let plotWidth = width - margin.left - margin.right
        let bottom = height - margin.bottom
        let top = niceCeiling(max(reference.max() ?? 0, current.max() ?? 0, 1e-9))
        func y(_ share: Double) -> Double { bottom - min(max(share / top, 0), 1) * (bottom - margin.top) }
        var svg =
            "<svg data-chart=\"distribution\" id=\"\(id)\" viewBox=\"0 0 \(f(width)) \(f(height))\" width=\"\(f(width))\" height=\"\(f(height))\" role=\"img\">"
        svg +=
            "<line x1=\"\(f(margin.left))\" x2=\"\(f(margin.left))\" y1=\"\(f(margin.top))\" y2=\"\(f(bottom))\" stroke=\"#999\"/>"
        svg +=
            "<line x1=\"\(f(margin.left))\" x2=\"\(f(width - margin.right))\" y1=\"\(f(bottom))\" y2=\"\(f(bottom))\" stroke=\"#999\"/>"
        for step in 0...4 {
            let share = top * Double(step) / 4
            svg +=
                "<line x1=\"\(f(margin.left))\" x2=\"\(f(width - margin.right))\" y1=\"\(f(y(share)))\" y2=\"\(f(y(share)))\" stroke=\"#eeeeee\"/>"
            svg +=
                "<text x=\"\(f(margin.left - 6))\" y=\"\(f(y(share) + 4))\" text-anchor=\"end\" class=\"axis\">\(String(format: "%.0f%%", share * 100))</text>"
        }
        let samples = [("reference", palette[0], reference), ("current", palette[1], current)]
        if let edges, edges.count == reference.count + 1, let low = edges.first, let high = edges.last {
            // Halved, so that a span of ±1.7e308 does not overflow.
            let span = high > low ? high / 2 - low / 2 : 1
            func x(_ value: Double) -> Double { margin.left + (value / 2 - low / 2) / span * plotWidth }
            for (name, color, shares) in samples {
                for (index, share) in shares.enumerated() where share > 0 {
                    let (left, right) = (x(edges[index]), x(edges[index + 1]))
                    svg +=
                        "<rect class=\"series\" data-series=\"\(name)\" x=\"\(f(left))\" y=\"\(f(y(share)))\" width=\"\(f(max(right - left - 0.5, 0.5)))\" height=\"\(f(bottom - y(share)))\" fill=\"\(color)\" fill-opacity=\"0.55\"><title>\(name): \(String(format: "%.1f%%", share * 100)) in [\(HTML.escape(format(edges[index]))), \(HTML.escape(format(edges[index + 1]))))</title></rect>"
                }
            }
            for step in 0...4 {
                let value = low * (1 - Double(step) / 4) + high * (Double(step) / 4)
                let anchor = step == 0 ? "start" : step == 4 ? "end" : "middle"
                svg +=
                    "<text x=\"\(f(x(value)))\" y=\"\(f(bottom + 16))\" text-anchor=\"\(anchor)\" class=\"axis\">\(HTML.escape(format(value)))</text>"
            }
        } else {
            let slot = plotWidth / Double(max(labels.count, 1))
            let bar = max(min(slot * 0.4, 28), 1)
            for (offset, (name, color, shares)) in samples.enumerated() {
                for (index, share) in shares.enumerated() where share > 0 {
                    let left = margin.left + slot * Double(index) + slot / 2 - bar + Double(offset) * bar
                    svg +=
                        "<rect class=\"series\" data-series=\"\(name)\" x=\"\(f(left))\" y=\"\(f(y(share)))\" width=\"\(f(bar))\" height=\"\(f(bottom - y(share)))\" fill=\"\(color)\"><title>\(name) \(HTML.escape(labels[index])): \(String(format: "%.1f%%", share * 100))</title></rect>"
                }
            }
            for (index, label) in labels.enumerated() {
                let shown = label.count > 12 ? String(label.prefix(11)) + "…" : label
                svg +=
                    "<text x=\"\(f(margin.left + slot * (Double(index) + 0.5)))\" y=\"\(f(bottom + 16))\" text-anchor=\"middle\" class=\"axis\">\(HTML.escape(shown))</text>"
            }
        }
        return svg + "</svg>"
    }

    /// Maps time and value to the plot area.
    private struct Frame {
        var domain: ClosedRange<Int64>
        var top: Double
        var height = SVGChart.height

        func x(_ time: Int64) -> Double {
            let span = Double(max(domain.upperBound - domain.lowerBound, 1))
            return margin.left + Double(time - domain.lowerBound) / span * (width - margin.left - margin.right)
        }

        func y(_ value: Double) -> Double {
            height - margin.bottom - min(max(value / top, 0), 1) * (height - margin.top - margin.bottom)
        }

        func axes(unit: String) -> String {
            var svg =
                "<line x1=\"\(f(margin.left))\" x2=\"\(f(margin.left))\" y1=\"\(f(margin.top))\" y2=\"\(f(height - margin.bottom))\" stroke=\"#999\"/>"
            for step in 0...4 {
                let value = top * Double(step) / 4
                let y = y(value)
                svg +=
                    "<line x1=\"\(f(margin.left))\" x2=\"\(f(width - margin.right))\" y1=\"\(f(y))\" y2=\"\(f(y))\" stroke=\"#eeeeee\"/>"
                svg +=
                    "<text x=\"\(f(margin.left - 6))\" y=\"\(f(y + 4))\" text-anchor=\"end\" class=\"axis\">\(format(value))</text>"
            }
            svg +=
                "<text x=\"12\" y=\"\(f(margin.top + 4))\" class=\"axis unit\" transform=\"rotate(-90 12 \(f(margin.top + 4)))\" text-anchor=\"end\">\(HTML.escape(unit))</text>"
            return svg + timeTicks()
        }

        func timeTicks() -> String {
            var svg =
                "<line x1=\"\(f(margin.left))\" x2=\"\(f(width - margin.right))\" y1=\"\(f(height - margin.bottom))\" y2=\"\(f(height - margin.bottom))\" stroke=\"#999\"/>"
            for step in 0...4 {
                let time = domain.lowerBound + (domain.upperBound - domain.lowerBound) * Int64(step) / 4
                let anchor = step == 0 ? "start" : step == 4 ? "end" : "middle"
                svg +=
                    "<text x=\"\(f(x(time)))\" y=\"\(f(height - margin.bottom + 16))\" text-anchor=\"\(anchor)\" class=\"axis\">\(clock(time))</text>"
            }
            return svg
        }
    }

    private static func open(id: String, kind: String, extra: String) -> String {
        "<svg data-chart=\"\(kind)\" id=\"\(id)\" \(extra) viewBox=\"0 0 \(f(width)) \(f(height))\" width=\"\(f(width))\" height=\"\(f(height))\" role=\"img\">"
    }

    /// Runs of consecutive non-nil points.
    private static func segments(_ points: [(x: Int64, y: Double?)]) -> [[(x: Int64, y: Double)]] {
        var runs: [[(x: Int64, y: Double)]] = [[]]
        for point in points {
            if let y = point.y {
                runs[runs.count - 1].append((point.x, y))
            } else if !runs[runs.count - 1].isEmpty {
                runs.append([])
            }
        }
        return runs.filter { !$0.isEmpty }
    }

    /// Green below half the threshold, amber at it, red from twice it.
    static func color(ratio: Double) -> String {
        let stops: [(Double, (Double, Double, Double))] = [
            (0, (232, 245, 233)), (0.5, (165, 214, 167)), (1, (255, 213, 79)), (2, (198, 40, 40)),
        ]
        let r = min(max(ratio, 0), 2)
        var index = 0
        while index < stops.count - 2 && r > stops[index + 1].0 { index += 1 }
        let (a, from) = stops[index]
        let (b, to) = stops[index + 1]
        let t = (r - a) / (b - a)
        func mix(_ x: Double, _ y: Double) -> Int { Int((x + (y - x) * t).rounded()) }
        return String(format: "#%02x%02x%02x", mix(from.0, to.0), mix(from.1, to.1), mix(from.2, to.2))
    }

    static func niceCeiling(_ value: Double) -> Double {
        let magnitude = pow(10, floor(log10(value)))
        for step in [1.0, 2, 2.5, 5, 10] where step * magnitude >= value { return step * magnitude }
        return 10 * magnitude
    }

    static func f(_ value: Double) -> String { String(format: "%.1f", value) }

    static func format(_ value: Double) -> String {
        if value == 0 { return "0" }
        if abs(value) >= 1e6 || abs(value) < 1e-3 { return String(format: "%.3g", value) }
        if abs(value) >= 100 { return String(format: "%.0f", value) }
        if abs(value) >= 1 { return String(format: "%.2f", value) }
        return String(format: "%.3f", value)
    }

    /// `HH:mm:ss` in UTC.
    static func clock(_ milliseconds: Int64) -> String {
        let seconds = Int((milliseconds / 1000) % 86_400 + 86_400) % 86_400
        return String(format: "%02d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
    }
}

enum HTML {
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
