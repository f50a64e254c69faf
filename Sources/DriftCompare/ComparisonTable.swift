import DriftCore
import Foundation

/// Renders `compare` results for people: an aligned table for a terminal, or Markdown for a pull-request comment.
public enum ComparisonTable {
    /// GitHub-flavoured Markdown: the dataset verdict, then drifted columns first.
    public static func markdown(_ report: DatasetComparison.Report) -> String {
        let verdict = report.dataset
        var lines = [
            "### \(verdict.drift ? "🔴 Dataset drift" : verdict.share == nil ? "⚪ No verdict" : "🟢 No dataset drift")",
            "",
            verdict.share.map {
                "\(verdict.drifted_columns) of \(verdict.columns_with_verdict) columns drifted ("
                    + String(format: "%.0f%%", $0 * 100) + ", drift share "
                    + String(format: "%.0f%%", verdict.drift_share * 100)
                    + "; decision `\(verdict.mode)`). Reference `\(escape(report.reference.path))` (\(report.reference.rows) rows), "
                    + "current `\(escape(report.current.path))` (\(report.current.rows) rows)."
            } ?? "No column has enough values for a verdict (decision `\(verdict.mode)`).",
            "",
            "| column | type | verdict | decided by | KS p | PSI | W1/σ | JS | χ² p | missing |",
            "|---|---|---|---|---:|---:|---:|---:|---:|---:|",
        ]
        let order = report.columns.enumerated().sorted {
            ($0.element.drift ? 0 : 1, $0.offset) < ($1.element.drift ? 0 : 1, $1.offset)
        }
        for (_, result) in order {
            let cells = [
                "`\(escape(result.column))`", result.type, result.drift ? "**DRIFT**" : status(result),
                escape(decidedBy(result.decision)), scientific(result.ks?.p_value), format(result.psi?.value),
                format(result.wasserstein_normed), format(result.jensen_shannon),
                scientific(result.chi2?.p_value ?? nil),
                percent(result.missing_rate),
            ]
            lines.append("| " + cells.joined(separator: " | ") + " |")
        }
        if !report.warnings.isEmpty {
            lines += [""] + report.warnings.map { "> ⚠️ \(escape($0))" }
        }
        return lines.joined(separator: "\n")
    }

    /// Pipes and backticks would break a table cell or a code span.
    private static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "`", with: "'")
            .replacingOccurrences(of: "\n", with: " ")
    }

    public static func render(_ results: [DatasetComparison.ColumnResult], verdict: DatasetComparison.DatasetVerdict)
        -> String
    {
        let header = [
            "column", "type", "verdict", "decided by", "KS D", "KS p", "PSI", "W1/σ", "JS", "χ² p", "unseen", "missing",
        ]
        var rows = [header]
        for result in results {
            rows.append([
                result.column, result.type, status(result), decidedBy(result.decision),
                format(result.ks?.statistic), scientific(result.ks?.p_value), format(result.psi?.value),
                format(result.wasserstein_normed), format(result.jensen_shannon),
                scientific(result.chi2?.p_value ?? nil),
                percent(result.unseen_rate), percent(result.missing_rate),
            ])
        }
        let widths = header.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        let lines = rows.map { row in
            row.enumerated().map { column, cell in
                column <= 3
                    ? cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[column] - cell.count) + cell
            }.joined(separator: "  ")
        }
        let summary: String
        if let share = verdict.share {
            summary =
                "\(verdict.drifted_columns) of \(verdict.columns_with_verdict) columns with a verdict drifted ("
                + String(format: "%.0f%%", share * 100) + ", drift share "
                + String(format: "%.0f%%", verdict.drift_share * 100)
                + "; decision \(verdict.mode)): " + (verdict.drift ? "DATASET DRIFT" : "no dataset drift")
        } else {
            summary = "no column has enough values for a verdict (decision \(verdict.mode))"
        }
        let undecided = verdict.columns - verdict.columns_with_verdict
        return
            (lines + ["", summary]
            + (undecided > 0 ? ["\(undecided) column(s) without a verdict (too few values or empty)"] : []))
            .joined(separator: "\n")
    }

    private static func status(_ result: DatasetComparison.ColumnResult) -> String {
        switch result.status {
        case "drift": "DRIFT"
        case "too_few_values": "too few values"
        default: result.status
        }
    }

    /// The deciding test with its score and threshold, e.g. `ks p=1.2e-05 ≤ 0.01, W1/σ 0.31 ≥ 0.1`.
    private static func decidedBy(_ decision: FeatureDecision?) -> String {
        guard let decision, let test = decision.test, let score = decision.score, let threshold = decision.threshold
        else {
            return "-"
        }
        let below = decision.comparison == "below"
        let held = below ? score <= threshold : score >= threshold
        var text =
            "\(test) \(scientific(score)) \(held ? (below ? "≤" : "≥") : (below ? ">" : "<")) \(scientific(threshold))"
        if let effect = decision.effectValue, let minimum = decision.minimumEffect {
            text += ", effect \(format(effect)) \(effect >= minimum ? "≥" : "<") \(format(minimum))"
        }
        return text
    }

    private static func format(_ value: Double?) -> String {
        value.map { String(format: "%.4f", $0) } ?? "-"
    }

    private static func scientific(_ value: Double?) -> String {
        guard let value else { return "-" }
        return value >= 0.001 || value == 0 ? String(format: "%.4f", value) : String(format: "%.2e", value)
    }

    private static func percent(_ value: Double?) -> String {
        value.map { String(format: "%.1f%%", $0 * 100) } ?? "-"
    }
}
