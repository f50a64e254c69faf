import DriftCore

/// What a CSV cell holds, by pandas' default rules (`read_csv` with no options) where they apply.
enum CSVCell {
    /// pandas' default missing-value markers (`pandas._libs.parsers.STR_NA_VALUES`, pandas 2.x); an empty
    /// cell is missing too. `-`, `?` and `n.a.` are not among them: pass them with `--na-values`.
    static let pandasMissingMarkers: [String] = [
        "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN", "<NA>", "N/A", "NA",
        "NULL", "NaN", "None", "n/a", "nan", "null",
    ]

    /// pandas' default boolean literals: a column holding only these (and missing cells) is read as booleans.
    static let trueLiterals: [[UInt8]] = ["True", "TRUE", "true"].map { Array($0.utf8) }
    static let falseLiterals: [[UInt8]] = ["False", "FALSE", "false"].map { Array($0.utf8) }

    /// `True` or `False` for a boolean literal, else nil.
    static func boolean(_ cell: UnsafeBufferPointer<UInt8>) -> Bool? {
        guard cell.count == 4 || cell.count == 5 else { return nil }
        if trueLiterals.contains(where: { $0.elementsEqual(cell) }) { return true }
        if falseLiterals.contains(where: { $0.elementsEqual(cell) }) { return false }
        return nil
    }

    /// A number written with a comma that pandas would read as text: a decimal comma (`1,5`) or thousands
    /// separators (`1,234` or `1,234,567.5`).
    static func isCommaNumber(_ cell: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        if index < cell.count && (cell[index] == UInt8(ascii: "-") || cell[index] == UInt8(ascii: "+")) { index += 1 }
        var digits = 0
        var commas = 0
        var point = false
        while index < cell.count {
            let byte = cell[index]
            if byte &- 48 < 10 {
                digits += 1
            } else if byte == UInt8(ascii: ",") && !point && digits > 0 && index + 1 < cell.count {
                commas += 1
            } else if byte == UInt8(ascii: ".") && !point && commas > 0 {
                point = true
            } else {
                return false
            }
            index += 1
        }
        return commas > 0 && digits > 1
    }

    /// A number with a decimal comma read as pandas reads it with `decimal=','`: the comma becomes a point.
    static func parseDecimalComma(_ cell: UnsafeBufferPointer<UInt8>) -> Double? {
        guard cell.count <= 64 else { return nil }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: cell.count) { copy in
            var commas = 0
            for (index, byte) in cell.enumerated() {
                if byte == UInt8(ascii: ".") { return nil }
                if byte == UInt8(ascii: ",") { commas += 1 }
                copy[index] = byte == UInt8(ascii: ",") ? UInt8(ascii: ".") : byte
            }
            guard commas <= 1 else { return nil }
            return DecimalParser.parse(UnsafeBufferPointer(copy))
        }
    }
}

/// The missing-value markers in force: pandas' defaults plus `--na-values`, matched as whole cells.
struct MissingMarkers: Sendable {
    private let markers: [[UInt8]]
    private let longest: Int
    /// Bit b set: some marker starts with a byte whose low 6 bits are b (a cheap first test).
    private let firstBytes: UInt64

    init(extra: [String] = []) {
        markers = (CSVCell.pandasMissingMarkers + extra).map { Array($0.utf8) }.filter { !$0.isEmpty }
        longest = markers.map(\.count).max() ?? 0
        firstBytes = markers.reduce(0) { $0 | 1 << UInt64($1[0] & 63) }
    }

    @inline(__always)
    func contains(_ cell: UnsafeBufferPointer<UInt8>) -> Bool {
        if cell.isEmpty { return true }
        if cell.count > longest || firstBytes & 1 << UInt64(cell[0] & 63) == 0 { return false }
        return markers.contains { $0.elementsEqual(cell) }
    }
}
