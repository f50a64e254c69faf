import DriftCompare
import DriftCore
import Foundation

/// `driftwatch compare --format html`: one self-contained page (inline CSS, SVG and a few lines of script; no
/// CDN, works offline) with the dataset verdict, a sortable table of the columns and, per column, reference
/// against current drawn with the dashboard's `SVGChart`. Without script the page is complete, only unsorted.
/// The script sorts by a clicked header (or `#sort=KEY` in the address) and marks what it drew on the charts
/// (`data-rendered`, the number of drawn bars) for the browser test.
public enum ComparisonPage {
    public static func render(_ report: DatasetComparison.Report, title: String = "Driftwatch comparison") -> String {
        let verdict = report.dataset
        let headline =
            verdict.share == nil
            ? "No column has enough values for a verdict"
            : "\(verdict.drifted_columns) of \(verdict.columns_with_verdict) columns drifted ("
                + String(format: "%.0f%%", (verdict.share ?? 0) * 100) + ", drift share "
                + String(format: "%.0f%%", verdict.drift_share * 100) + ")"
        var html = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>\(HTML.escape(title))</title>
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <style>\(style)</style></head>
            <body>
            <header class="\(verdict.drift ? "drift" : "ok")"><h1>\(verdict.drift ? "Dataset drift" : "No dataset drift")</h1>
            <p>\(HTML.escape(headline)); decision <code>\(HTML.escape(verdict.mode))</code>.</p>
            <p class="files">reference <code>\(HTML.escape(report.reference.path))</code> (\(report.reference.rows) rows) ·
            current <code>\(HTML.escape(report.current.path))</code> (\(report.current.rows) rows)</p></header>
            <main>
            """
        if !report.warnings.isEmpty {
            html += "<ul class=\"warnings\">" + report.warnings.map { "<li>\(HTML.escape($0))</li>" }.joined() + "</ul>"
        }
        html += table(report.columns)
        for (index, column) in report.columns.enumerated() {
            html += card(column, id: "c\(index)")
        }
        html += "</main><script>\(script)</script></body></html>\n"
        return html
    }

    private static let headers: [(key: String, label: String, numeric: Bool)] = [
        ("column", "column", false), ("type", "type", false), ("status", "verdict", false),
        ("ks_p", "KS p", true), ("psi", "PSI", true), ("wn", "W₁/σ", true), ("js", "JS", true),
        ("chi2_p", "χ² p", true), ("unseen", "unseen", true), ("missing", "missing", true),
    ]

    private static func table(_ columns: [DatasetComparison.ColumnResult]) -> String {
        var html = "<table id=\"columns\"><thead><tr>"
        for header in headers {
            html +=
                "<th data-key=\"\(header.key)\" data-numeric=\"\(header.numeric)\" title=\"sort\">\(header.label)</th>"
        }
        html += "</tr></thead><tbody>"
        for (index, column) in columns.enumerated() {
            let values: [(String, Double?)] = [
                (column.column, nil), (column.type, nil), (status(column), nil),
                ("", column.ks?.p_value), ("", column.psi?.value), ("", column.wasserstein_normed),
                ("", column.jensen_shannon), ("", column.chi2?.p_value ?? nil), ("", column.unseen_rate),
                ("", column.missing_rate),
            ]
            html += "<tr class=\"\(column.status)\" data-column=\"\(HTML.escape(column.column))\">"
            for ((text, number), header) in zip(values, headers) {
                if header.numeric {
                    let shown =
                        header.key == "unseen" || header.key == "missing"
                        ? number.map { String(format: "%.1f%%", $0 * 100) } : number.map(cell)
                    html += "<td data-value=\"\(number.map { String($0) } ?? "")\">\(shown ?? "–")</td>"
                } else if header.key == "column" {
                    html +=
                        "<td data-value=\"\(HTML.escape(text))\"><a href=\"#c\(index)\">\(HTML.escape(text))</a></td>"
                } else {
                    html += "<td data-value=\"\(HTML.escape(text))\">\(HTML.escape(text))</td>"
                }
            }
            html += "</tr>"
        }
        return html + "</tbody></table>"
    }

    private static func card(_ column: DatasetComparison.ColumnResult, id: String) -> String {
        var html =
            "<section class=\"column \(column.status)\" id=\"\(id)\"><h2>\(HTML.escape(column.column)) "
            + "<span class=\"badge\">\(HTML.escape(status(column)))</span></h2>"
        var facts = [
            "\(column.type)", "reference \(column.reference_count) values", "current \(column.current_count) values",
        ]
        if let decision = column.decision, let test = decision.test, let score = decision.score {
            facts.append("decided by \(test) \(cell(score))" + (decision.threshold.map { " vs \(cell($0))" } ?? ""))
        }
        if let reason = column.decision?.reason { facts.append(reason) }
        facts += column.notes
        html += "<p>\(facts.map(HTML.escape).joined(separator: " · "))</p>"
        if let distribution = column.distribution {
            html +=
                "<p class=\"legend\"><span class=\"swatch ref\"></span>reference <span class=\"swatch cur\"></span>current</p>"
            html += SVGChart.distribution(
                id: "\(id)-chart", labels: distribution.categories ?? [], edges: distribution.edges,
                reference: distribution.reference, current: distribution.current)
        }
        return html + "</section>"
    }

    private static func status(_ column: DatasetComparison.ColumnResult) -> String {
        switch column.status {
        case "drift": "DRIFT"
        case "too_few_values": "too few values"
        default: column.status
        }
    }

    private static func cell(_ value: Double) -> String {
        value != 0 && abs(value) < 0.001 ? String(format: "%.2e", value) : String(format: "%.4f", value)
    }

    private static let style = """
        body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#222;background:#fafafa}
        header{padding:16px 24px;color:#fff}header.drift{background:#c62828}header.ok{background:#2e7d32}
        header h1{margin:0 0 4px;font-size:22px}header p{margin:2px 0}header code{color:#fff}
        main{padding:16px 24px;max-width:1100px}
        table{border-collapse:collapse;background:#fff;margin:8px 0 24px;width:100%}
        th,td{padding:4px 8px;border-bottom:1px solid #e0e0e0;text-align:right;white-space:nowrap}
        th:nth-child(-n+3),td:nth-child(-n+3){text-align:left}
        th{cursor:pointer;background:#f0f0f0;user-select:none}th.sorted-asc::after{content:" ▲"}th.sorted-desc::after{content:" ▼"}
        tr.drift td:nth-child(3){color:#c62828;font-weight:600}
        section.column{background:#fff;border:1px solid #e0e0e0;border-radius:6px;padding:8px 16px;margin:12px 0}
        section.column h2{font-size:16px;margin:4px 0}section.drift{border-left:4px solid #c62828}
        .badge{font-size:12px;font-weight:400;background:#eee;border-radius:8px;padding:1px 8px}
        section.drift .badge{background:#c62828;color:#fff}
        .legend{margin:0;color:#555}.swatch{display:inline-block;width:10px;height:10px;margin:0 4px 0 10px}
        .swatch.ref{background:#4e79a7}.swatch.cur{background:#f28e2b}
        svg text.axis{font-size:10px;fill:#666}.warnings{background:#fff8e1;border:1px solid #ffe082;padding:8px 24px}
        """

    private static let script = """
        (function(){
          var table=document.getElementById('columns'),body=table.tBodies[0];
          function sort(key,descending){
            var th=table.querySelector('th[data-key="'+key+'"]');if(!th)return;
            var index=Array.prototype.indexOf.call(th.parentNode.children,th),numeric=th.dataset.numeric==='true';
            var rows=Array.prototype.slice.call(body.rows);
            rows.sort(function(a,b){
              var x=a.cells[index].dataset.value,y=b.cells[index].dataset.value;
              if(numeric){x=x===''?Infinity:+x;y=y===''?Infinity:+y;return descending?(y===Infinity?-1:x===Infinity?1:y-x):x-y;}
              return descending?y.localeCompare(x):x.localeCompare(y);
            });
            rows.forEach(function(r){body.appendChild(r);});
            Array.prototype.forEach.call(table.tHead.rows[0].cells,function(c){c.className='';});
            th.className=descending?'sorted-desc':'sorted-asc';table.dataset.sortedBy=key+(descending?' desc':'');
          }
          Array.prototype.forEach.call(table.tHead.rows[0].cells,function(th){
            th.addEventListener('click',function(){sort(th.dataset.key,th.className==='sorted-asc');});
          });
          var wanted=/sort=([a-z_0-9]+)(:desc)?/.exec(location.hash);if(wanted)sort(wanted[1],!!wanted[2]);
          var charts=document.querySelectorAll('svg[data-chart]');
          Array.prototype.forEach.call(charts,function(svg){svg.setAttribute('data-rendered',svg.querySelectorAll('.series').length);});
          document.body.setAttribute('data-charts-rendered',charts.length);
        })();
        """
}
