import DriftStats
import Foundation
import ReferenceLibraries
import Testing

@testable import DriftApp
@testable import DriftCompare
@testable import DriftConfig

/// Malformed and unusual files, one class each, compared against a good reference: none may crash; each is
/// read (with the outcome checked) or refused with a message that says what and where. Set
/// DRIFTWATCH_CSV_GALLERY=FILE to also write every class's outcome as a Markdown table.
@Suite struct CSVGalleryTests {
    enum Outcome: Sendable {
        /// Read; `check` looks at the report.
        case reads(@Sendable (DatasetComparison.Report) -> Bool)
        /// Refused with a message containing the fragment, at the line when one is given.
        case refused(String, line: Int? = nil)
    }

    struct Case: Sendable {
        var name: String
        var current: Data
        var reference: Data? = nil
        var options: @Sendable (inout DatasetComparison.Settings) -> Void = { _ in }
        var outcome: Outcome
    }

    /// A good file: 60 rows of a numeric, an integer and a categorical column.
    static func good(rows: Int = 60, seed: UInt64 = 5, shift: Double = 0, delimiter: String = ",") -> String {
        var random = SplitMix64(seed: seed)
        var text = ["amount", "age", "country"].joined(separator: delimiter) + "\n"
        for _ in 0..<rows {
            let amount = String(format: "%.2f", random.unit() * 100 + shift)
            text +=
                [amount, String(Int(random.unit() * 60) + 18), ["DE", "FR", "US"][Int(random.unit() * 3)]]
                .joined(separator: delimiter) + "\n"
        }
        return text
    }

    static func data(_ text: String) -> Data { Data(text.utf8) }

    /// `text` with the first cell of every `every`-th row (from the third) replaced by `cell`.
    static func first(_ text: String, every: Int, _ cell: String) -> String {
        text.split(separator: "\n").enumerated().map { index, line in
            index > 0 && index % every == 3 ? cell + line.drop { $0 != "," } : String(line)
        }.joined(separator: "\n") + "\n"
    }

    static func column(_ report: DatasetComparison.Report, _ name: String) -> DatasetComparison.ColumnResult? {
        report.columns.first { $0.column == name }
    }

    static let cases: [Case] = {
        let good = Self.good()
        let lines = good.split(separator: "\n").map(String.init)
        let body = lines.dropFirst().joined(separator: "\n") + "\n"
        var cases: [Case] = [
            Case(name: "empty file (0 bytes)", current: Data(), outcome: .refused("the file is empty")),
            Case(name: "only blank lines", current: data("\n\n  \n"), outcome: .refused("the file is empty")),
            Case(
                name: "header only", current: data("amount,age,country\n"),
                outcome: .refused("header but no rows", line: 2)),
            Case(
                name: "header and blank lines", current: data("amount,age,country\n\n\n"), outcome: .refused("no rows")),
            Case(
                name: "every cell missing",
                current: data("amount,age,country\n" + String(repeating: ",NA,null\n", count: 40)),
                outcome: .refused("every cell of the compared column(s) is missing")),
            Case(
                name: "one column entirely missing",
                current: data(
                    good.replacingOccurrences(of: ",DE\n", with: ",\n")
                        .replacingOccurrences(of: ",FR\n", with: ",\n").replacingOccurrences(of: ",US\n", with: ",\n")),
                outcome: .reads {
                    column($0, "country")?.status == "too_few_values" && column($0, "country")?.type == "empty"
                }),
            Case(
                name: "UTF-16LE without BOM", current: good.data(using: .utf16LittleEndian)!,
                outcome: .refused("UTF-16LE text without a byte order mark")),
            Case(
                name: "UTF-16BE without BOM", current: good.data(using: .utf16BigEndian)!,
                outcome: .refused("UTF-16BE text without a byte order mark")),
            Case(
                name: "UTF-16LE with BOM", current: Data([0xFF, 0xFE]) + good.data(using: .utf16LittleEndian)!,
                outcome: .reads { $0.current.encoding == "UTF-16LE" && $0.dataset.columns == 3 }),
            Case(
                name: "UTF-16BE with BOM", current: Data([0xFE, 0xFF]) + good.data(using: .utf16BigEndian)!,
                outcome: .reads { $0.current.encoding == "UTF-16BE" }),
            Case(
                name: "UTF-16 BOM, odd length", current: Data([0xFF, 0xFE, 0x61, 0x00, 0x62]),
                outcome: .refused("not valid UTF-16LE")),
            Case(
                name: "UTF-32", current: Data([0xFF, 0xFE, 0, 0]) + good.data(using: .utf32LittleEndian)!,
                outcome: .refused("UTF-32")),
            Case(
                name: "UTF-8 with BOM", current: Data([0xEF, 0xBB, 0xBF]) + data(good),
                outcome: .reads { $0.current.encoding == "UTF-8 with BOM" }),
            Case(
                name: "Latin-1 text",
                current: data("amount,age,country\n") + Data("1,2,Z".utf8) + Data([0xFC]) + data("rich\n" + body),
                outcome: .refused("not UTF-8", line: 2)),
            Case(
                name: "NUL byte", current: data("amount,age,country\n1,2,D") + Data([0]) + data("E\n" + body),
                outcome: .refused("NUL byte", line: 2)),
            Case(name: "gzip-compressed", current: Data([0x1F, 0x8B, 0x08, 0x00, 1, 2, 3]), outcome: .refused("gzip")),
            Case(
                name: "Excel workbook (ZIP)", current: Data([0x50, 0x4B, 0x03, 0x04, 9, 9]),
                outcome: .refused("ZIP archive")),
            Case(
                name: "quoted field never closed", current: data("amount,age,country\n1,2,\"DE\n" + body),
                outcome: .refused("never closed", line: 2)),
            Case(
                name: "text after a closing quote", current: data("amount,age,country\n1,2,\"DE\"x\n" + body),
                outcome: .refused("after a closing quote", line: 2)),
            Case(
                name: "row with too many fields", current: data(good + "1,2,DE,extra\n"),
                outcome: .refused("row has 4 fields but the header has 3", line: 62)),
            Case(
                name: "trailing delimiter on every row",
                current: data(lines.map { $0 + "," }.joined(separator: "\n") + "\n"),
                outcome: .refused("is not in")),
            Case(
                name: "header names a column twice", current: data("amount,amount,country\n" + body),
                outcome: .refused("appears twice", line: 1)),
            Case(
                name: "header cell without a name", current: data(",age,country\n" + body),
                reference: data(",age,country\n" + body),
                outcome: .reads { column($0, "Unnamed: 0")?.type == "numeric" }),
            Case(
                name: "column only in the reference", current: data("amount,age\n1,2\n"),
                outcome: .refused("column 'country' is not in")),
            Case(
                name: "column only in the current file",
                current: data(
                    "amount,age,country,extra\n" + lines.dropFirst().map { $0 + ",1" }.joined(separator: "\n")),
                outcome: .refused("column 'extra' is not in")),
            Case(
                name: "mostly numbers with stray text", current: data(first(good, every: 20, "unknown")),
                outcome: .refused("is numeric in")),
            Case(
                name: "dash as a missing marker", current: data(first(good, every: 10, "-")),
                outcome: .refused("--na-values '-'")),
            Case(
                name: "dash with --na-values", current: data(first(good, every: 10, "-")),
                options: { $0.csv.missingValues = ["-"] },
                outcome: .reads { (column($0, "amount")?.missing_rate ?? 0) > 0 }),
            Case(
                name: "pandas' missing markers",
                current: data(
                    "amount,age,country\n"
                        + ["None", "n/a", "#N/A", "<NA>", "NULL", "NaN", "-nan", "1.#IND", "#NA"]
                        .map { "\($0),30,DE" }.joined(separator: "\n") + "\n" + body),
                outcome: .reads { column($0, "amount")?.type == "numeric" && column($0, "amount")!.current_count == 60 }
            ),
            Case(
                name: "thousands separators",
                current: data(
                    "amount,age,country\n"
                        + lines.indices.dropFirst().map { "\"1,\(String(format: "%03d", $0 * 7))\",30,DE" }.joined(
                            separator: "\n")),
                outcome: .refused("numbers written with a comma")),
            Case(
                name: "decimal comma without --decimal",
                current: data(good.replacingOccurrences(of: ",", with: ";").replacingOccurrences(of: ".", with: ",")),
                outcome: .refused("--decimal ','")),
            Case(
                name: "decimal comma with --decimal",
                current: data(good.replacingOccurrences(of: ",", with: ";").replacingOccurrences(of: ".", with: ",")),
                reference: data(
                    Self.good(rows: 200, seed: 9).replacingOccurrences(of: ",", with: ";").replacingOccurrences(
                        of: ".", with: ",")),
                options: { $0.csv.decimalComma = true }, outcome: .reads { column($0, "amount")?.type == "numeric" }),
            Case(
                name: "points in a --decimal ',' file", current: data(Self.good(delimiter: ";")),
                reference: data(Self.good(rows: 200, seed: 9, delimiter: ";")),
                options: { $0.csv.decimalComma = true }, outcome: .refused("written with a decimal point", line: 2)),
            Case(
                name: "semicolon-separated", current: data(Self.good(delimiter: ";")),
                outcome: .reads { $0.current.delimiter == ";" && $0.dataset.columns == 3 }),
            Case(
                name: "tab-separated", current: data(Self.good(delimiter: "\t")),
                outcome: .reads { $0.current.delimiter == "tab" }),
            Case(
                name: "pipe-separated", current: data(Self.good(delimiter: "|")),
                outcome: .reads { $0.current.delimiter == "|" }),
            Case(
                name: "CRLF line ends", current: data(good.replacingOccurrences(of: "\n", with: "\r\n")),
                outcome: .reads { $0.current.rows == 60 }),
            Case(
                name: "lone CR line ends", current: data(good.replacingOccurrences(of: "\n", with: "\r")),
                outcome: .reads { $0.current.rows == 60 }),
            Case(
                name: "mixed line ends",
                current: data(lines.enumerated().map { $0.element + ($0.offset % 2 == 0 ? "\r\n" : "\n") }.joined()),
                outcome: .reads { $0.current.rows == 60 }),
            Case(
                name: "no newline at the end", current: data(String(good.dropLast())),
                outcome: .reads { $0.current.rows == 60 }),
            Case(
                name: "blank lines before the header", current: data("\n \n" + good),
                outcome: .reads { $0.current.rows == 60 }),
            Case(
                name: "short rows", current: data(good + "5\n"),
                outcome: .reads { $0.current.rows == 61 && !$0.warnings.isEmpty }),
            Case(
                name: "quoted newlines, quotes and delimiters",
                current: data("amount,age,country\n1,2,\"a,\"\"b\"\"\nc\"\n" + body),
                outcome: .reads { column($0, "country")?.type == "categorical" }),
            Case(
                name: "values near ±1e308",
                current: data(
                    "amount,age,country\n"
                        + (0..<60).map { "\($0 % 2 == 0 ? "-" : "")1.7e308,\($0),DE" }.joined(separator: "\n")),
                outcome: .reads { column($0, "amount")?.ks != nil }),
            Case(
                name: "numbers beyond the double range", current: data(first(good, every: 10, "1e400")),
                outcome: .reads { column($0, "amount")?.type == "numeric" }),
            Case(
                name: "subnormal numbers",
                current: data("amount,age,country\n" + (0..<60).map { "\($0)e-320,\($0),DE" }.joined(separator: "\n")),
                outcome: .reads { column($0, "amount")?.decision != nil }),
            Case(
                name: "infinities", current: data(first(first(good, every: 10, "inf"), every: 7, "-Infinity")),
                outcome: .reads { (column($0, "amount")?.missing_rate ?? 0) > 0 }),
            Case(
                name: "a constant column",
                current: data("amount,age,country\n" + String(repeating: "7,7,DE\n", count: 60)),
                reference: data("amount,age,country\n" + String(repeating: "7,7,DE\n", count: 60)),
                outcome: .reads { column($0, "amount")?.drift == false }),
            Case(
                name: "one row", current: data("amount,age,country\n1,2,DE\n"),
                outcome: .reads { $0.dataset.status == "too_few_values" }),
            Case(
                name: "a 1 MB cell",
                current: data("amount,age,country\n1,2,\"" + String(repeating: "x", count: 1 << 20) + "\"\n" + body),
                outcome: .reads { column($0, "country")?.type == "categorical" }),
            Case(
                name: "3 000 columns",
                current: data(
                    (0..<3000).map { "c\($0)" }.joined(separator: ",") + "\n"
                        + String(repeating: (0..<3000).map(String.init).joined(separator: ",") + "\n", count: 3)),
                reference: data(
                    (0..<3000).map { "c\($0)" }.joined(separator: ",") + "\n"
                        + String(repeating: (0..<3000).map(String.init).joined(separator: ",") + "\n", count: 3)),
                outcome: .reads { $0.dataset.columns == 3000 }),
            Case(
                name: "10 000 categories",
                current: data("amount,age,country\n" + (0..<10000).map { "\($0),1,c\($0)" }.joined(separator: "\n")),
                outcome: .reads { column($0, "country")?.distribution?.categories?.count == 21 }),
            Case(
                name: "hexadecimal numbers",
                current: data("amount,age,country\n" + (0..<60).map { "0x\($0),1,DE" }.joined(separator: "\n")),
                outcome: .reads { column($0, "amount")?.type == "categorical" }),
            Case(
                name: "booleans in every case",
                current: data(
                    "amount,age,country\n"
                        + (0..<60).map { "\($0),\(["True", "false", "TRUE", "False"][$0 % 4]),DE" }.joined(
                            separator: "\n")),
                reference: data(
                    "amount,age,country\n"
                        + (0..<90).map { "\($0),\(["true", "FALSE"][$0 % 2]),DE" }.joined(separator: "\n")),
                outcome: .reads { column($0, "age")?.distribution?.categories?.sorted() == ["False", "True"] }),
            Case(
                name: "--columns matching nothing", current: data(good),
                options: { $0.csv.selection = ColumnSelection(include: ["nope*"]) },
                outcome: .refused("no column matches 'nope*'")),
            Case(
                name: "--ignore of every column", current: data(good),
                options: { $0.csv.selection = ColumnSelection(exclude: ["*"]) },
                outcome: .refused("leave no column")),
            Case(
                name: "--ignore of a column missing from one file",
                current: data(
                    "amount,age\n"
                        + body.replacingOccurrences(of: ",DE", with: "").replacingOccurrences(of: ",FR", with: "")
                        .replacingOccurrences(of: ",US", with: "")),
                options: { $0.csv.selection = ColumnSelection(exclude: ["country"]) },
                outcome: .reads { $0.dataset.columns == 2 }),
            Case(
                name: "--numeric over stray text", current: data(first(good, every: 20, "unknown")),
                options: { $0.csv.numeric = ["amount"] },
                outcome: .reads { (column($0, "amount")?.invalid_count ?? 0) > 0 && !$0.warnings.isEmpty }),
            Case(
                name: "--categorical over numbers", current: data(good), options: { $0.csv.categorical = ["age"] },
                outcome: .reads { column($0, "age")?.type == "categorical" }),
            Case(
                name: "NUL inside a quoted field",
                current: data("amount,age,country\n1,2,\"D") + Data([0]) + data("\"\n"), outcome: .refused("NUL byte")),
        ]
        cases.append(
            Case(
                name: "a directory", current: Data(), options: { _ in }, outcome: .refused("is a directory")))
        cases.append(Case(name: "a missing file", current: Data(), outcome: .refused("cannot read the file")))
        return cases
    }()

    @Test func everyClassIsReadOrRefusedWithWhereAndWhat() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "driftwatch-gallery-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let reference = folder.appendingPathComponent("reference.csv")
        try Data(Self.good(rows: 200, seed: 9).utf8).write(to: reference)
        var gallery = ["| # | file | outcome |", "|---:|---|---|"]
        var documents: [String] = []
        #expect(Self.cases.count >= 40)
        for (index, testCase) in Self.cases.enumerated() {
            var current = folder.appendingPathComponent("current-\(index).csv")
            switch testCase.name {
            case "a directory": current = folder
            case "a missing file": current = folder.appendingPathComponent("absent.csv")
            default: try testCase.current.write(to: current)
            }
            var referencePath = reference.path
            if let own = testCase.reference {
                referencePath = folder.appendingPathComponent("reference-\(index).csv").path
                try own.write(to: URL(fileURLWithPath: referencePath))
            }
            var settings = DatasetComparison.Settings()
            testCase.options(&settings)
            let message: String
            do {
                let report = try DatasetComparison(settings: settings).report(
                    referencePath: referencePath, currentPath: current.path)
                let encoded = try JSONEncoder().encode(report)  // never NaN or infinity
                let document = folder.appendingPathComponent("report-\(index).json")
                try encoded.write(to: document)
                documents.append(document.path)
                message =
                    "read: \(report.dataset.columns) column(s), \(report.dataset.status)"
                    + (report.warnings.isEmpty ? "" : "; warning: \(report.warnings[0])")
                switch testCase.outcome {
                case .reads(let check): #expect(check(report) && !encoded.isEmpty, "\(testCase.name): \(message)")
                case .refused(let fragment, _):
                    Issue.record("\(testCase.name): read, expected a refusal with '\(fragment)'")
                }
            } catch let error as ConfigError {
                message = "refused: `\(error.description.replacingOccurrences(of: folder.path + "/", with: ""))`"
                switch testCase.outcome {
                case .reads: Issue.record("\(testCase.name): refused: \(error)")
                case .refused(let fragment, let line):
                    #expect(error.message.contains(fragment), "\(testCase.name): \(error)")
                    if let line { #expect(error.line == line, "\(testCase.name): line of \(error)") }
                }
            }
            gallery.append(
                "| \(index + 1) | \(testCase.name) | \(message.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")) |"
            )
        }
        // Every report read, nulls and all, against the published schema, by the jsonschema package.
        struct Validation: Decodable {
            var documents: Int
            var errors: [String]
        }
        let schema = ReferenceValues.repository.appendingPathComponent("topics/schemas/compare.schema.json").path
        let validation = try JSONDecoder().decode(
            Validation.self, from: ReferenceValues.run("json-schema", [schema] + documents))
        #expect(validation.documents == documents.count && documents.count >= 30)
        #expect(validation.errors.isEmpty, "\(validation.errors.prefix(5))")
        if let path = ProcessInfo.processInfo.environment["DRIFTWATCH_CSV_GALLERY"] {
            try Data((gallery.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: path))
        }
    }
}
