import ArgumentParser
import DriftApp
import DriftCompare
import Foundation

/// How CSV files are read, shared by `compare` and `reference build` (see `CSVReadOptions`).
struct CSVOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp("Field delimiter: , ; | or tab (default: detected from the header row).", valueName: "char"))
    var delimiter: String?

    @Option(
        help: ArgumentHelp(
            "Decimal mark of the numbers: . (default) or , (then ; separates fields unless --delimiter says).",
            valueName: "char"))
    var decimal: String = "."

    @Option(
        help: ArgumentHelp(
            "Read these columns as numbers; cells that are not numbers are left out (comma-separated).",
            valueName: "columns"))
    var numeric: [String] = []

    @Option(
        help: ArgumentHelp(
            "Read these columns as categories even when they hold numbers (comma-separated).", valueName: "columns"))
    var categorical: [String] = []

    @Option(
        help: ArgumentHelp(
            "More missing-value markers besides pandas' defaults (comma-separated, e.g. '-,?').", valueName: "markers"))
    var naValues: [String] = []

    func validate() throws {
        if let delimiter, CSVDialect.delimiter(delimiter) == nil {
            throw ValidationError("--delimiter must be one character (, ; | …) or 'tab', got '\(delimiter)'")
        }
        guard decimal == "." || decimal == "," else {
            throw ValidationError("--decimal must be . or ',', got '\(decimal)'")
        }
        if decimal == ",", delimiter == "," {
            throw ValidationError("--decimal ',' needs another --delimiter than ','")
        }
        let both = Set(Self.list(numeric)).intersection(Self.list(categorical))
        if !both.isEmpty {
            throw ValidationError("\(both.sorted().joined(separator: ", ")): both --numeric and --categorical")
        }
    }

    /// The reading options; `selection` chooses the columns.
    func readOptions(selection: ColumnSelection = ColumnSelection()) -> CSVReadOptions {
        var options = CSVReadOptions()
        options.decimalComma = decimal == ","
        options.delimiter = delimiter.flatMap(CSVDialect.delimiter) ?? (options.decimalComma ? UInt8(ascii: ";") : nil)
        options.numeric = Set(Self.list(numeric))
        options.categorical = Set(Self.list(categorical))
        options.missingValues = Self.list(naValues)
        options.selection = selection
        return options
    }

    /// Repeatable options that also take comma-separated lists.
    static func list(_ values: [String]) -> [String] {
        values.flatMap { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }
            .filter { !$0.isEmpty }
    }
}
