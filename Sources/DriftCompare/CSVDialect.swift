import DriftCore
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// How a CSV file is written: its text encoding, delimiter and line end, found the way a person would check.
///
/// - Encoding: UTF-8, with or without a byte order mark; UTF-16 with a byte order mark is decoded; UTF-16
///   without one, UTF-32, compressed or binary files and invalid UTF-8 are refused with what to do.
/// - Delimiter: `,` `;` tab or `|`, whichever appears most often outside quotes in the header row (ties in
///   that order; a header without any is one comma-separated column). pandas reads only `,` unless told.
/// - Line end: `\n` (with or without `\r` before it), or a lone `\r` when the file has no `\n`.
public struct CSVDialect: Sendable, Equatable {
    static let delimiters: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t"), UInt8(ascii: "|")]

    var delimiter: UInt8
    var newline: UInt8
    /// `UTF-8`, `UTF-8 with BOM`, `UTF-16LE` or `UTF-16BE`.
    var encoding: String

    /// The delimiter's name for messages: `','`, `';'`, `tab`, `'|'`.
    static func name(_ delimiter: UInt8) -> String {
        delimiter == UInt8(ascii: "\t") ? "tab" : "'\(Character(Unicode.Scalar(delimiter)))'"
    }

    /// Parses `--delimiter`: one character, or `tab` / `\t`.
    public static func delimiter(_ text: String) -> UInt8? {
        if text == "tab" || text == "\\t" || text == "\t" { return UInt8(ascii: "\t") }
        guard text.utf8.count == 1, let byte = text.utf8.first, byte != UInt8(ascii: "\""), byte != 0x0A, byte != 0x0D
        else { return nil }
        return byte
    }

    /// The file's bytes as UTF-8 (decoded when UTF-16), where the header starts (after a byte order mark and
    /// blank lines, which pandas skips too) and the dialect. `delimiter` overrides the detection.
    static func read(_ data: Data, path: String, delimiter given: UInt8?) throws -> (
        bytes: Data, start: Int, dialect: CSVDialect
    ) {
        var bytes = data
        var encoding = "UTF-8"
        var start = 0
        if data.starts(with: [0xFF, 0xFE, 0x00, 0x00]) || data.starts(with: [0x00, 0x00, 0xFE, 0xFF]) {
            throw FileError(
                file: path,
                "the file is UTF-32 text; convert it to UTF-8 first: iconv -f UTF-32 -t UTF-8 '\(path)' > converted.csv"
            )
        } else if data.starts(with: [0xFF, 0xFE]) || data.starts(with: [0xFE, 0xFF]) {
            let littleEndian = data[data.startIndex] == 0xFF
            encoding = littleEndian ? "UTF-16LE" : "UTF-16BE"
            guard data.count % 2 == 0,
                let text = String(
                    data: data.dropFirst(2), encoding: littleEndian ? .utf16LittleEndian : .utf16BigEndian)
            else {
                throw FileError(
                    file: path, "the file starts with a \(encoding) byte order mark but is not valid \(encoding) text")
            }
            bytes = Data(text.utf8)
        } else if data.starts(with: [0xEF, 0xBB, 0xBF]) {
            encoding = "UTF-8 with BOM"
            start = 3
        } else if data.starts(with: [0x1F, 0x8B]) {
            throw FileError(file: path, "the file is gzip-compressed; decompress it first (gunzip -k '\(path)')")
        } else if data.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            throw FileError(file: path, "the file is a ZIP archive (an Excel .xlsx workbook?); export the sheet as CSV")
        }
        try bytes.withUnsafeBytes { raw in
            try refuseNonText(raw.bindMemory(to: UInt8.self), from: start, path: path)
        }
        return bytes.withUnsafeBytes { raw in
            let buffer = raw.bindMemory(to: UInt8.self)
            let hasLineFeed =
                buffer.baseAddress.map { buffer.count > 0 && memchr($0, 0x0A, buffer.count) != nil } ?? false
            let newline: UInt8 = hasLineFeed || !buffer.contains(0x0D) ? 0x0A : 0x0D
            // Blank lines (empty or only blanks) before the header are skipped, as pandas skips them.
            var headerStart = start
            var cursor = start
            while cursor < buffer.count {
                let byte = buffer[cursor]
                if byte == newline {
                    headerStart = cursor + 1
                } else if byte != 0x20 && byte != 0x09 && byte != 0x0D {
                    break
                }
                cursor += 1
            }
            let delimiter = given ?? detectDelimiter(buffer, from: headerStart, newline: newline)
            return (bytes, headerStart, CSVDialect(delimiter: delimiter, newline: newline, encoding: encoding))
        }
    }

    /// The candidate delimiter seen most often outside quotes on the header line.
    private static func detectDelimiter(_ buffer: UnsafeBufferPointer<UInt8>, from start: Int, newline: UInt8) -> UInt8
    {
        var counts = [Int](repeating: 0, count: delimiters.count)
        var quoted = false
        var index = start
        while index < buffer.count {
            let byte = buffer[index]
            if byte == UInt8(ascii: "\"") {
                quoted.toggle()
            } else if !quoted {
                if byte == newline { break }
                if let position = delimiters.firstIndex(of: byte) { counts[position] += 1 }
            }
            index += 1
        }
        let best = counts.indices.max { counts[$0] < counts[$1] || (counts[$0] == counts[$1] && $0 > $1) }!
        return counts[best] > 0 ? delimiters[best] : delimiters[0]
    }

    /// Refuses NUL bytes (UTF-16 without a byte order mark, or a binary file) and invalid UTF-8, naming where.
    private static func refuseNonText(_ buffer: UnsafeBufferPointer<UInt8>, from start: Int, path: String) throws {
        if let base = buffer.baseAddress, buffer.count > 0, let found = memchr(base, 0, buffer.count) {
            let nul = UnsafeRawPointer(found) - UnsafeRawPointer(base)
            let (line, column) = position(of: nul, in: buffer)
            let sample = buffer[start..<min(buffer.count, start + 64)]
            let evenNULs = stride(from: start + 1, to: sample.endIndex, by: 2).filter { buffer[$0] == 0 }.count
            let oddNULs = stride(from: start, to: sample.endIndex, by: 2).filter { buffer[$0] == 0 }.count
            if evenNULs + oddNULs > sample.count / 3 {
                let order = evenNULs > oddNULs ? "UTF-16LE" : "UTF-16BE"
                throw FileError(
                    file: path,
                    "the file looks like \(order) text without a byte order mark; convert it to UTF-8 first: "
                        + "iconv -f \(order) -t UTF-8 '\(path)' > converted.csv")
            }
            throw FileError(file: path, line: line, column: column, "a NUL byte: this is not a text file")
        }
        // ASCII runs are skipped eight bytes at a time; the rest is checked by the standard library's decoder.
        var index = start
        let base = buffer.baseAddress
        while index + 8 <= buffer.count {
            if UnsafeRawPointer(base! + index).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { break }
            index += 8
        }
        var iterator = UnsafeBufferPointer(rebasing: buffer[index...]).makeIterator()
        var decoder = UTF8()
        var consumed = index
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                consumed += UTF8.width(scalar)
            case .emptyInput:
                return
            case .error:
                let (line, column) = position(of: consumed, in: buffer)
                throw FileError(
                    file: path, line: line, column: column,
                    "the file is not UTF-8 text (Latin-1 or Windows-1252?); convert it first: "
                        + "iconv -f WINDOWS-1252 -t UTF-8 '\(path)' > converted.csv")
            }
        }
    }

    /// 1-based line and byte column of an offset.
    static func position(of offset: Int, in buffer: UnsafeBufferPointer<UInt8>) -> (line: Int, column: Int) {
        var line = 1
        var lineStart = 0
        for index in 0..<min(offset, buffer.count) where buffer[index] == 0x0A {
            line += 1
            lineStart = index + 1
        }
        return (line, offset - lineStart + 1)
    }
}
