import DriftStats
import Foundation
import ReferenceLibraries
import Testing

@testable import DriftApp
@testable import DriftCompare

/// CSV files written the ways users' tools write them, read by `CSVTable` and by pandas 2 (told the same
/// dialect, as a user would tell it) in the same run: the columns' kinds, counts and values must agree.
@Suite struct CSVReadingTests {
    enum Encoding { case utf8, utf8BOM, utf16LE, utf16BE }

    /// One way of writing the same table.
    struct Variant {
        var name: String
        var delimiter = ","
        var newline = "\n"
        var encoding = Encoding.utf8
        var decimalComma = false
        var leadingBlankLines = false
        var blankLinesBetween = false
        var shortRows = false
        var unnamedIndex = false
        var extraMissing: [String] = []
        /// pandas' C parser overflows on a quoted newline in a file whose lines end with a lone CR.
        var quotedNewlines = true
    }

    static let variants: [Variant] = [
        Variant(name: "plain"),
        Variant(name: "crlf", newline: "\r\n"),
        Variant(name: "lone-cr", newline: "\r", quotedNewlines: false),
        Variant(name: "semicolon", delimiter: ";"),
        Variant(name: "tab", delimiter: "\t"),
        Variant(name: "pipe", delimiter: "|"),
        Variant(name: "bom", encoding: .utf8BOM),
        Variant(name: "utf16le", newline: "\r\n", encoding: .utf16LE),
        Variant(name: "utf16be", encoding: .utf16BE),
        Variant(name: "decimal-comma", delimiter: ";", decimalComma: true),
        Variant(name: "blank-lines", leadingBlankLines: true, blankLinesBetween: true),
        Variant(name: "short-rows", shortRows: true),
        Variant(name: "pandas-index", unnamedIndex: true),
        Variant(name: "extra-markers", extraMissing: ["-", "?"]),
    ]

    /// Cells of a generated table: numbers in every notation pandas reads, pandas' missing markers, booleans in
    /// every case it accepts, and text with quotes, delimiters, newlines and non-ASCII letters.
    static func table(_ variant: Variant, rows: Int, seed: UInt64) -> [[String]] {
        var random = SplitMix64(seed: seed)
        let markers = CSVCell.pandasMissingMarkers + [""] + variant.extraMissing
        let texts = [
            "DE", "FR", "Zürich", "東京", "a, b", "say \"hi\"", variant.quotedNewlines ? "two\nlines" : "two lines",
            "semi;colon", "pi|pe", "tab\there",
        ]
        let booleans = ["True", "true", "TRUE", "False", "false", "FALSE"]
        var table = [["amount", "count", "city", "flag", "score"]]
        for row in 0..<rows {
            let value = (random.unit() * 2000 - 1000) / 8
            var amount = [
                String(value), " \(value) ", String(format: "%.3e", value), (value >= 0 ? "+" : "") + "\(Int(value))",
                "\(Int(value)).", ".5",
            ][row % 6]
            if variant.decimalComma { amount = String(format: "%.4f", value).replacingOccurrences(of: ".", with: ",") }
            if random.unit() < 0.1 { amount = markers[Int(random.unit() * Double(markers.count))] }
            let count = random.unit() < 0.05 ? "" : String(Int(random.unit() * 50))
            let city = random.unit() < 0.03 ? "NA" : texts[Int(random.unit() * Double(texts.count))]
            let flag = random.unit() < 0.05 ? "" : booleans[Int(random.unit() * Double(booleans.count))]
            var score = String(format: "%.6f", random.unit())
            if variant.decimalComma { score = score.replacingOccurrences(of: ".", with: ",") }
            table.append([amount, count, city, flag, score])
        }
        if variant.unnamedIndex {
            table = table.enumerated().map { [$0.offset == 0 ? "" : String($0.offset - 1)] + $0.element }
        }
        return table
    }

    /// The bytes of a table as the variant writes it (RFC 4180 quoting where a cell needs it).
    static func bytes(_ table: [[String]], _ variant: Variant, seed: UInt64) -> Data {
        var random = SplitMix64(seed: seed)
        func quoted(_ cell: String) -> String {
            let special =
                cell.contains(variant.delimiter) || cell.contains("\"") || cell.contains("\n") || cell.contains("\r")
            return special ? "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : cell
        }
        var text = variant.leadingBlankLines ? variant.newline + "   " + variant.newline : ""
        for (index, row) in table.enumerated() {
            var cells = row.map(quoted)
            if variant.shortRows && index > 0 && random.unit() < 0.1 {
                cells = Array(cells.prefix(cells.count - 1 - Int(random.unit() * 2)))
            }
            text += cells.joined(separator: variant.delimiter) + variant.newline
            if variant.blankLinesBetween && random.unit() < 0.05 { text += variant.newline }
        }
        switch variant.encoding {
        case .utf8: return Data(text.utf8)
        case .utf8BOM: return Data([0xEF, 0xBB, 0xBF]) + Data(text.utf8)
        case .utf16LE: return Data([0xFF, 0xFE]) + text.data(using: .utf16LittleEndian)!
        case .utf16BE: return Data([0xFE, 0xFF]) + text.data(using: .utf16BigEndian)!
        }
    }

    static func directory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("driftwatch-csv-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    struct PandasReading: Decodable {
        struct Column: Decodable {
            var name: String
            var kind: String
            var count: Int
            var sum: Double?
            var min: Double?
            var max: Double?
            var categories: [String: Int]?
        }

        struct File: Decodable {
            var path: String
            var rows: Int
            var columns: [Column]
        }

        var pandas: String
        var files: [File]
    }

    @Test func readsWhatPandasReadsInEveryDialect() throws {
        let folder = try Self.directory()
        var spec: [[String: Any]] = []
        var options: [String: CSVReadOptions] = [:]
        for (index, variant) in Self.variants.enumerated() {
            let path = folder.appendingPathComponent("\(variant.name).csv").path
            let seed = UInt64(100 + index)
            try Self.bytes(Self.table(variant, rows: 400, seed: seed), variant, seed: seed).write(
                to: URL(fileURLWithPath: path))
            // Correctly rounded numbers, as Driftwatch parses them: pandas' default converter can be one unit in
            // the last place off for numbers written with 17 significant digits.
            var entry: [String: Any] = ["path": path, "sep": variant.delimiter, "float_precision": "round_trip"]
            switch variant.encoding {
            case .utf8: break
            case .utf8BOM: entry["encoding"] = "utf-8-sig"
            case .utf16LE, .utf16BE: entry["encoding"] = "utf-16"
            }
            if variant.decimalComma { entry["decimal"] = "," }
            // pandas' C parser reports a buffer overflow on lone-CR files of this size; its Python parser reads them.
            if variant.newline == "\r" { entry["engine"] = "python" }
            if !variant.extraMissing.isEmpty { entry["na_values"] = variant.extraMissing }
            spec.append(entry)
            var read = CSVReadOptions()
            read.decimalComma = variant.decimalComma
            read.missingValues = variant.extraMissing
            options[path] = read
        }
        let specPath = folder.appendingPathComponent("spec.json")
        try JSONSerialization.data(withJSONObject: spec).write(to: specPath)
        let pandas = try JSONDecoder().decode(
            PandasReading.self, from: ReferenceValues.run("csv-read", [specPath.path]))
        #expect(pandas.files.count == Self.variants.count)
        for file in pandas.files {
            let table = try CSVTable(path: file.path, options: options[file.path]!)
            let name = (file.path as NSString).lastPathComponent
            #expect(table.rows == file.rows, "\(name): rows")
            #expect(table.header == file.columns.map(\.name), "\(name): header")
            for expected in file.columns {
                guard let column = table.columns[expected.name] else {
                    Issue.record("\(name): no column \(expected.name)")
                    continue
                }
                switch column {
                case .numeric(let values, _, let invalid):
                    #expect(expected.kind == "numeric", "\(name) \(expected.name): pandas reads \(expected.kind)")
                    #expect(values.count == expected.count && invalid == 0, "\(name) \(expected.name): count")
                    let sum = values.reduce(0, +)
                    #expect(abs(sum - (expected.sum ?? 0)) <= 1e-12 * max(1, abs(sum)), "\(name) \(expected.name): sum")
                    #expect(
                        values.min() == expected.min && values.max() == expected.max,
                        "\(name) \(expected.name): range \(String(describing: values.min())) \(String(describing: values.max())) vs \(String(describing: expected.min)) \(String(describing: expected.max))"
                    )
                case .categorical(let counts, _):
                    #expect(expected.kind == "categorical", "\(name) \(expected.name): pandas reads \(expected.kind)")
                    #expect(counts.counts == expected.categories ?? [:], "\(name) \(expected.name): categories")
                }
            }
        }
    }
}
