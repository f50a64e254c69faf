import DriftCore
import DriftStats
import Foundation

/// How `compare` and `reference build` read a CSV file: `pandas.read_csv` with its defaults, except where
/// this says otherwise.
public struct CSVReadOptions: Sendable {
    /// nil: detected from the header row (`,` `;` tab `|`; pandas reads `,` only).
    public var delimiter: UInt8?
    /// Numbers are written with a decimal comma (`1,5`), as pandas' `decimal=','`.
    public var decimalComma = false
    /// Columns read as numbers whatever they hold: other cells count as invalid (and are left out).
    public var numeric: Set<String> = []
    /// Columns read as categories even when they hold only numbers.
    public var categorical: Set<String> = []
    /// Missing-value markers besides pandas' defaults (`--na-values`).
    public var missingValues: [String] = []
    /// The columns to read.
    public var selection = ColumnSelection()

    public init() {}
}

/// A CSV file (RFC 4180, in the dialect `CSVDialect` finds) read column by column: a header row of names,
/// then one row per record. pandas' rules, with the differences named:
/// - Missing: empty cells and pandas' default markers (`CSVCell.pandasMissingMarkers`), plus `--na-values`;
///   ±inf and numbers beyond the double range are missing too (Evidently drops them; pandas keeps ±inf and
///   reads 1e400 as text).
/// - A column is numeric when every present cell is a number, categorical when fewer than half are. In
///   categorical columns pandas' boolean literals (True/TRUE/true, False/FALSE/false) are the categories `True`
///   and `False`, as pandas reads a column of them as `bool` (pandas keeps the text when other text is mixed in). A column
///   that is mostly numbers but holds other text, or numbers with a decimal comma or thousands separators, is
///   refused with the first such cells' positions (pandas would silently read it as text): `--numeric`,
///   `--categorical`, `--na-values` or `--decimal` decide.
/// - A header cell without a name is `Unnamed: i` (0-based, as pandas names it); a name used twice is an
///   error (pandas renames it `name.1`).
/// - Blank lines are skipped; a row with fewer fields than the header has its last cells missing (as pandas)
///   and is counted in `warnings`; a row with more fields is an error.
struct CSVTable: Sendable {
    enum Column: Sendable {
        /// `invalid`: cells of a `--numeric` column that are not numbers.
        case numeric(values: [Double], missing: Int, invalid: Int)
        case categorical(counts: CategoryCounts, missing: Int)

        var missing: Int {
            switch self {
            case .numeric(_, let missing, _), .categorical(_, let missing): missing
            }
        }

        var valueCount: Int {
            switch self {
            case .numeric(let values, _, _): values.count
            case .categorical(let counts, _): counts.total
            }
        }
    }

    let path: String
    /// Every column name of the header; `columns` holds the selected ones.
    let header: [String]
    let rows: Int
    let columns: [String: Column]
    let dialect: CSVDialect
    /// What was read differently from a plain file (short rows, invalid cells of `--numeric` columns).
    let warnings: [String]

    /// The selected column names, in the file's order.
    var selected: [String] { header.filter { columns[$0] != nil } }

    /// Reads the file; columns in `asText` are read as categories even when they hold only numbers.
    /// `progress` gets the bytes scanned and the file's size now and then.
    init(
        path: String, options: CSVReadOptions = .init(), asText: Set<String> = [],
        progress: ((Int, Int) -> Void)? = nil
    ) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
                throw FileError(file: path, "is a directory, not a CSV file")
            }
            throw FileError(file: path, "cannot read the file (does it exist? is it readable?)")
        }
        let (bytes, start, dialect) = try CSVDialect.read(data, path: path, delimiter: options.delimiter)
        func read(_ text: Set<String>, only: Set<String>? = nil) throws -> Reading {
            try bytes.withUnsafeBytes { raw in
                var reader = Reader(
                    path: path, buffer: raw.bindMemory(to: UInt8.self), start: start, dialect: dialect, options: options
                )
                return try reader.read(asText: text, only: only, progress: progress)
            }
        }
        var table = try read(asText.union(options.categorical))
        if !table.turnedText.isEmpty {
            // Once more for the columns that turned out to hold text, now as categories; the rest is read.
            let text = try read(table.turnedText, only: table.turnedText)
            table.columns.merge(text.columns) { _, categories in categories }
        }
        self.path = path
        header = table.header
        rows = table.rows
        columns = table.columns
        self.dialect = dialect
        warnings = table.warnings
    }

    fileprivate struct Reading {
        var header: [String]
        var rows: Int
        var columns: [String: Column]
        /// Columns that turned out to hold text (or booleans): read again as categories.
        var turnedText: Set<String>
        var warnings: [String]
    }
}

extension CSVTable {
    func isText(_ name: String) -> Bool {
        if case .categorical? = columns[name] { return true }
        return false
    }

    /// Every row's values of `names` (columns of this table), typed as the table typed their columns: a
    /// numeric column's cell a number or missing, a categorical one's its text (booleans as `True`/`False`,
    /// as the counts have them) or missing. A second pass over the file, for what needs rows (the multivariate
    /// model, labels beside scores); only every `every`-th row (the first, then each `every` rows) is kept.
    func rows(of names: [String], every: Int, options: CSVReadOptions) throws -> [[FeatureValue]] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FileError(file: path, "cannot read the file again (was it moved?)")
        }
        let (bytes, start, dialect) = try CSVDialect.read(data, path: path, delimiter: options.delimiter)
        let indexes = try names.map { name in
            guard let index = header.firstIndex(of: name) else { throw FileError(file: path, "no column '\(name)'") }
            return index
        }
        let text = names.map { isText($0) }
        return try bytes.withUnsafeBytes { raw in
            var reader = Reader(
                path: path, buffer: raw.bindMemory(to: UInt8.self), start: start, dialect: dialect, options: options)
            return try reader.rows(columns: indexes, text: text, every: every)
        }
    }
}

/// One pass over a file: the header, then every row's selected cells.
private struct Reader {
    let path: String
    let buffer: UnsafeBufferPointer<UInt8>
    let start: Int
    let dialect: CSVDialect
    let options: CSVReadOptions
    let markers: MissingMarkers

    init(path: String, buffer: UnsafeBufferPointer<UInt8>, start: Int, dialect: CSVDialect, options: CSVReadOptions) {
        self.path = path
        self.buffer = buffer
        self.start = start
        self.dialect = dialect
        self.options = options
        markers = MissingMarkers(extra: options.missingValues)
    }

    /// A cell that kept a mostly numeric column from being numeric. `commaOffenders` are numbers written with the
    /// other decimal mark: a comma (decimal or thousands) normally, a point with `--decimal ','`.
    struct Offender {
        var line: Int
        var text: String
    }

    /// What the cells of one column held, for typing it.
    struct Tally {
        var numbers = 0
        var missing = 0
        var text = 0
        var commaNumbers = 0
        var booleans = 0
        var offenders: [Offender] = []
        var commaOffenders: [Offender] = []
        var present: Int { numbers + text + commaNumbers + booleans }
        var nonNumbers: Int { text + commaNumbers + booleans }

        /// Counts a present cell that is not a number, keeping the first few offenders' text and line.
        mutating func countNonNumber(_ cell: UnsafeBufferPointer<UInt8>, line: Int, decimalComma: Bool) {
            if decimalComma ? DecimalParser.parse(cell) != nil : CSVCell.isCommaNumber(cell) {
                commaNumbers += 1
                if commaOffenders.count < 3 {
                    commaOffenders.append(Offender(line: line, text: String(decoding: cell, as: UTF8.self)))
                }
            } else if CSVCell.boolean(cell) != nil {
                booleans += 1
            } else {
                text += 1
                if offenders.count < 3 {
                    offenders.append(Offender(line: line, text: String(decoding: cell, as: UTF8.self)))
                }
            }
        }
    }

    /// `only`: read just these columns (the others are left out of the result).
    mutating func read(asText: Set<String>, only: Set<String>?, progress: ((Int, Int) -> Void)?) throws
        -> CSVTable.Reading
    {
        var scanner = CSVScanner(buffer: buffer, start: start, path: path, dialect: dialect)
        var fields: [CSVScanner.Field] = []
        let names = try header(&scanner, &fields)
        let width = names.count
        let selected = names.indices.filter {
            options.selection.contains(names[$0]) && only?.contains(names[$0]) != false
        }
        let textColumns = names.map { asText.contains($0) }
        let lines = buffer.reduce(0) { $0 + ($1 == dialect.newline ? 1 : 0) } + 1
        // Flat accumulators, allocated once: appending to nested arrays costs a uniqueness check per cell.
        let numbers = names.indices.map { index in
            UnsafeMutableBufferPointer<Double>.allocate(capacity: textColumns[index] ? 0 : lines)
        }
        let tallies = UnsafeMutableBufferPointer<Tally>.allocate(capacity: width)
        let categories = UnsafeMutableBufferPointer<CategoryCounter>.allocate(capacity: width)
        _ = tallies.initialize(from: (0..<width).map { _ in Tally() })
        _ = categories.initialize(from: (0..<width).map { _ in CategoryCounter() })
        defer {
            for column in numbers { column.deallocate() }
            tallies.deinitialize().deallocate()
            categories.deinitialize().deallocate()
        }
        var rows = 0
        var shortRows = 0
        var firstShortRow = 0
        while try scanner.next(into: &fields) {
            if fields.count == 1 && scanner.withBytes(of: fields[0], { $0.allSatisfy { $0 == 0x20 || $0 == 0x09 } }) {
                continue  // a blank line, skipped as pandas skips it
            }
            if fields.count > width {
                throw FileError(
                    file: path, line: scanner.recordLine, column: width + 1,
                    "row has \(fields.count) fields but the header has \(width) (delimiter \(CSVDialect.name(dialect.delimiter))"
                        + "\(options.delimiter == nil ? ", detected from the header; --delimiter sets it" : "")); "
                        + "quote fields that contain the delimiter")
            }
            if fields.count < width {
                if shortRows == 0 { firstShortRow = scanner.recordLine }
                shortRows += 1
            }
            rows += 1
            if let progress, rows & 0xFFFF == 0 { progress(scanner.offset, buffer.count) }
            for column in selected {
                guard column < fields.count else {
                    tallies[column].missing += 1
                    continue
                }
                let line = scanner.recordLine
                scanner.withBytes(of: fields[column]) { cell in
                    if textColumns[column] {
                        if markers.contains(cell) {
                            tallies[column].missing += 1
                        } else if let value = CSVCell.boolean(cell) {
                            categories[column].add(value ? "True" : "False")
                        } else {
                            categories[column].add(cell)
                        }
                    } else if cell.isEmpty {
                        tallies[column].missing += 1
                    } else if let value = number(cell) {
                        if value.isFinite {
                            numbers[column][tallies[column].numbers] = value
                            tallies[column].numbers += 1
                        } else {
                            tallies[column].missing += 1
                        }
                    } else if markers.contains(cell) {
                        tallies[column].missing += 1
                    } else {
                        tallies[column].countNonNumber(cell, line: line, decimalComma: options.decimalComma)
                    }
                }
            }
        }
        var warnings: [String] = []
        if shortRows > 0 {
            warnings.append(
                "\(path):\(firstShortRow): \(shortRows) row(s) have fewer fields than the header; their last cells are "
                    + "read as missing, as pandas reads them")
        }
        var columns: [String: CSVTable.Column] = [:]
        var turnedText: Set<String> = []
        var problems: [FileError] = []
        for index in selected {
            let name = names[index]
            if textColumns[index] {
                columns[name] = .categorical(counts: categories[index].categoryCounts, missing: tallies[index].missing)
                continue
            }
            let tally = tallies[index]
            let values = Array(UnsafeBufferPointer(rebasing: numbers[index][..<tally.numbers]))
            switch typing(tally, name: name, column: index + 1) {
            case .numeric(let invalid, let warning):
                columns[name] = .numeric(values: values, missing: tally.missing, invalid: invalid)
                if let warning { warnings.append(warning) }
            case .text:
                turnedText.insert(name)
            case .refused(let problem):
                problems.append(problem)
            }
        }
        if let first = problems.first {
            guard problems.count > 1 else { throw first }
            throw FileError(
                file: path, line: first.line, column: first.column,
                problems.map {
                    "\($0.line.map { "line \($0)" } ?? "")\($0.column.map { ", column \($0)" } ?? ""): \($0.message)"
                }
                .joined(separator: "\n  "))
        }
        return CSVTable.Reading(header: names, rows: rows, columns: columns, turnedText: turnedText, warnings: warnings)
    }

    /// The header row's names: an empty one is `Unnamed: i` (0-based, as pandas), a repeated one an error.
    private func header(_ scanner: inout CSVScanner, _ fields: inout [CSVScanner.Field]) throws -> [String] {
        guard try scanner.next(into: &fields) else {
            throw FileError(file: path, line: 1, "the file is empty; expected a header row with column names")
        }
        var names = fields.map { scanner.text(of: $0) }
        var seen: [String: Int] = [:]
        for index in names.indices {
            if names[index].isEmpty { names[index] = "Unnamed: \(index)" }
            if let first = seen[names[index]] {
                throw FileError(
                    file: path, line: scanner.recordLine, column: index + 1,
                    "column '\(names[index])' appears twice in the header (columns \(first + 1) and \(index + 1)); rename one"
                )
            }
            seen[names[index]] = index
        }
        return names
    }

    enum Typing {
        /// `invalid` cells of a `--numeric` column were not numbers (`warning` says so).
        case numeric(invalid: Int, warning: String?)
        /// Read again as categories.
        case text
        case refused(FileError)
    }

    /// What a column that was read for numbers is, by its tally (the rules in `CSVTable`'s comment).
    private func typing(_ tally: Tally, name: String, column: Int) -> Typing {
        if tally.nonNumbers == 0 { return .numeric(invalid: 0, warning: nil) }
        if options.numeric.contains(name) {
            let first = (tally.offenders + tally.commaOffenders).min { $0.line < $1.line }
            return .numeric(
                invalid: tally.nonNumbers,
                warning: "\(path)\(first.map { ":\($0.line):\(column)" } ?? ""): column '\(name)' (--numeric) has "
                    + "\(tally.nonNumbers) cell(s) that are not numbers\(first.map { ", e.g. '\($0.text)'" } ?? ""); they are left out"
            )
        }
        if tally.commaNumbers > 0 && 2 * (tally.numbers + tally.commaNumbers) >= tally.present {
            let cells = tally.commaOffenders.map { "'\($0.text)' (line \($0.line))" }.joined(separator: ", ")
            return .refused(
                FileError(
                    file: path, line: tally.commaOffenders[0].line, column: column,
                    options.decimalComma
                        ? "column '\(name)' holds numbers written with a decimal point: \(cells), but --decimal ',' "
                            + "says the comma is the decimal mark (a point would be a thousands separator); drop --decimal "
                            + "for this file, or compare the column as categories with --categorical '\(name)'"
                        : "column '\(name)' holds numbers written with a comma: \(cells); pandas would read them as text. "
                            + "For a decimal comma pass --decimal ','; remove thousands separators (1,234 → 1234) from the file; "
                            + "or compare the column as categories with --categorical '\(name)'"))
        }
        if 2 * tally.numbers >= tally.present {
            let cells = tally.offenders.map { "'\($0.text)' (line \($0.line))" }.joined(separator: ", ")
            let markers = Set(tally.offenders.map(\.text)).sorted().joined(separator: ",")
            return .refused(
                FileError(
                    file: path, line: tally.offenders.first?.line, column: column,
                    "column '\(name)' is numeric in \(tally.numbers) of \(tally.present) cells but also holds text: \(cells). "
                        + "If these mark missing values pass --na-values '\(markers)'; to leave them out pass --numeric '\(name)'; "
                        + "to compare the column as categories pass --categorical '\(name)'"))
        }
        return .text
    }

    /// Every `every`-th row's cells of `columns`, numbers for numeric columns and text for the others (`text[i]`).
    mutating func rows(columns: [Int], text: [Bool], every: Int) throws -> [[FeatureValue]] {
        var scanner = CSVScanner(buffer: buffer, start: start, path: path, dialect: dialect)
        var fields: [CSVScanner.Field] = []
        _ = try header(&scanner, &fields)
        var rows: [[FeatureValue]] = []
        var index = 0
        while try scanner.next(into: &fields) {
            if fields.count == 1 && scanner.withBytes(of: fields[0], { $0.allSatisfy { $0 == 0x20 || $0 == 0x09 } }) {
                continue
            }
            defer { index += 1 }
            guard index % every == 0 else { continue }
            rows.append(
                columns.indices.map { position in
                    let column = columns[position]
                    guard column < fields.count else { return .missing }
                    return scanner.withBytes(of: fields[column]) { cell -> FeatureValue in
                        if cell.isEmpty || markers.contains(cell) { return .missing }
                        if text[position] {
                            if let value = CSVCell.boolean(cell) { return .category(value ? "True" : "False") }
                            return .category(String(decoding: cell, as: UTF8.self))
                        }
                        guard let value = number(cell), value.isFinite else { return .missing }
                        return .number(value)
                    }
                })
        }
        return rows
    }

    /// With a decimal comma a point is not a decimal mark (often a thousands separator): `1.234` is not a number.
    @inline(__always)
    private func number(_ cell: UnsafeBufferPointer<UInt8>) -> Double? {
        options.decimalComma ? CSVCell.parseDecimalComma(cell) : DecimalParser.parse(cell)
    }
}
