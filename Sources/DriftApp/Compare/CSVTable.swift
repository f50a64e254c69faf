import DriftCore
import DriftStats
import Foundation

/// A CSV file (RFC 4180: comma separated, double-quoted fields with "" escapes, LF or CRLF line ends, an
/// optional UTF-8 byte order mark) read column by column: a header row of names, then one row per record.
/// Empty cells and NA, NaN, nan, null, NULL, N/A are missing; so are ±inf in numeric columns (as Evidently
/// drops them). A column is numeric while every present cell is a number; one text cell makes it categorical,
/// and the file is read once more so its categories keep their original text. Errors name file, line, column.
struct CSVTable: Sendable {
    enum Column: Sendable {
        case numeric(values: [Double], missing: Int)
        case categorical(counts: CategoryCounts, missing: Int)

        var missing: Int {
            switch self {
            case .numeric(_, let missing), .categorical(_, let missing): missing
            }
        }
    }

    let path: String
    let header: [String]
    let rows: Int
    let columns: [String: Column]

    /// Reads the file; columns in `asText` are read as categories even when they hold only numbers.
    /// `progress` gets the bytes scanned and the file's size now and then.
    init(path: String, asText: Set<String> = [], progress: ((Int, Int) -> Void)? = nil) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(file: path, "cannot read the file (does it exist?)")
        }
        func read(_ text: Set<String>) throws -> Reading {
            try data.withUnsafeBytes { raw in
                try Self.read(path: path, buffer: raw.bindMemory(to: UInt8.self), asText: text, progress: progress)
            }
        }
        var table = try read(asText)
        if !table.turnedText.isEmpty {
            table = try read(asText.union(table.turnedText))
        }
        self.path = path
        header = table.header
        rows = table.rows
        columns = table.columns
    }

    private struct Reading {
        var header: [String]
        var rows: Int
        var columns: [String: Column]
        /// Numeric columns in which a text cell appeared.
        var turnedText: Set<String>
    }

    private static func read(
        path: String, buffer: UnsafeBufferPointer<UInt8>, asText: Set<String>, progress: ((Int, Int) -> Void)?
    ) throws -> Reading {
        let start = buffer.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var scanner = CSVScanner(buffer: buffer, start: start, path: path)
        var fields: [CSVScanner.Field] = []
        guard try scanner.next(into: &fields), !(fields.count == 1 && fields[0].isEmpty) else {
            throw ConfigError(file: path, line: 1, "the file is empty; expected a header row with column names")
        }
        let names = fields.map { String(decoding: scanner.bytes(of: $0), as: UTF8.self) }
        var seen: Set<String> = []
        for (index, name) in names.enumerated() {
            guard !name.isEmpty else { throw ConfigError(file: path, line: 1, column: index + 1, "column \(index + 1) has no name") }
            guard seen.insert(name).inserted else {
                throw ConfigError(file: path, line: 1, column: index + 1, "column '\(name)' appears twice in the header")
            }
        }
        let width = names.count
        let lines = buffer.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
        let textColumns = names.map { asText.contains($0) }
        // Flat accumulators, allocated once: appending to nested arrays costs a uniqueness check per cell.
        let numbers = textColumns.map { UnsafeMutableBufferPointer<Double>.allocate(capacity: $0 ? 0 : lines) }
        let filled = UnsafeMutableBufferPointer<Int>.allocate(capacity: width)
        let missing = UnsafeMutableBufferPointer<Int>.allocate(capacity: width)
        let turnedText = UnsafeMutableBufferPointer<Bool>.allocate(capacity: width)
        let categories = UnsafeMutableBufferPointer<CategoryCounter>.allocate(capacity: width)
        filled.initialize(repeating: 0)
        missing.initialize(repeating: 0)
        turnedText.initialize(repeating: false)
        _ = categories.initialize(from: (0..<width).map { _ in CategoryCounter() })
        defer {
            numbers.forEach { $0.deallocate() }
            for buffer in [filled, missing] { buffer.deallocate() }
            turnedText.deallocate()
            categories.deinitialize().deallocate()
        }
        var rows = 0
        while try scanner.next(into: &fields) {
            if fields.count == 1 && fields[0].isEmpty { continue }  // blank line
            guard fields.count == width else {
                throw ConfigError(
                    file: path, line: scanner.recordLine,
                    "row has \(fields.count) fields but the header has \(width); quote fields that contain commas")
            }
            rows += 1
            if let progress, rows & 0xFFFF == 0 { progress(scanner.offset, buffer.count) }
            for column in 0..<width {
                let cell = scanner.bytes(of: fields[column])
                if isMissing(cell) {
                    missing[column] += 1
                } else if textColumns[column] {
                    categories[column].add(cell)
                } else if turnedText[column] {
                    continue  // re-read as text afterwards
                } else if let value = DecimalParser.parse(cell) {
                    if value.isFinite {
                        numbers[column][filled[column]] = value
                        filled[column] += 1
                    } else {
                        missing[column] += 1
                    }
                } else {
                    turnedText[column] = true
                }
            }
        }
        var columns: [String: Column] = [:]
        for (index, name) in names.enumerated() {
            columns[name] = textColumns[index]
                ? .categorical(counts: categories[index].categoryCounts, missing: missing[index])
                : .numeric(values: Array(UnsafeBufferPointer(rebasing: numbers[index][..<filled[index]])), missing: missing[index])
        }
        return Reading(
            header: names, rows: rows, columns: columns,
            turnedText: Set(names.indices.filter { turnedText[$0] }.map { names[$0] }))
    }

    private static let missingMarkers: [[UInt8]] = ["NA", "NaN", "nan", "null", "NULL", "N/A"].map { Array($0.utf8) }

    /// Empty, or one of the missing-value markers pandas also reads as missing.
    @inline(__always)
    static func isMissing(_ cell: UnsafeBufferPointer<UInt8>) -> Bool {
        if cell.isEmpty { return true }
        if cell.count > 4 || cell[0] & 0xDF != UInt8(ascii: "N") { return false }
        return missingMarkers.contains { $0.elementsEqual(cell) }
    }
}
