import DriftCore

/// Splits CSV bytes into records of field spans without copying, except quoted fields with "" escapes, which
/// are unescaped into a scratch buffer that lives until the next record. The delimiter and the line end
/// (`\n`, with an optional `\r` before it, or a lone `\r` for old Mac files) come from `CSVDialect`.
struct CSVScanner {
    struct Field {
        var start: Int
        var end: Int
        /// The span is in `scratch`, not in the file.
        var unescaped = false

        var isEmpty: Bool { start == end }
    }

    let buffer: UnsafeBufferPointer<UInt8>
    let path: String
    let delimiter: UInt8
    let newline: UInt8
    private var index: Int
    private var scratch: [UInt8] = []
    private(set) var line = 1
    /// Bytes scanned so far.
    var offset: Int { index }
    /// The line on which the last record returned started.
    private(set) var recordLine = 1

    init(buffer: UnsafeBufferPointer<UInt8>, start: Int, path: String, dialect: CSVDialect) {
        self.buffer = buffer
        self.index = start
        self.path = path
        self.delimiter = dialect.delimiter
        self.newline = dialect.newline
    }

    /// Calls `body` with the bytes of a field of the last record; the pointer is valid only inside `body`.
    @inline(__always)
    func withBytes<Result>(of field: Field, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        if field.unescaped {
            return try scratch.withUnsafeBufferPointer {
                try body(UnsafeBufferPointer(rebasing: $0[field.start..<field.end]))
            }
        }
        return try body(UnsafeBufferPointer(rebasing: buffer[field.start..<field.end]))
    }

    /// The text of a field of the last record (invalid UTF-8 was refused before scanning).
    func text(of field: Field) -> String {
        withBytes(of: field) { String(decoding: $0, as: UTF8.self) }
    }

    /// Reads the next record into `fields`; false at the end of the file.
    mutating func next(into fields: inout [Field]) throws -> Bool {
        fields.removeAll(keepingCapacity: true)
        scratch.removeAll(keepingCapacity: true)
        guard index < buffer.count else { return false }
        recordLine = line
        while true {
            if index < buffer.count && buffer[index] == UInt8(ascii: "\"") {
                fields.append(try quotedField(column: fields.count + 1))
            } else {
                let start = index
                while index < buffer.count {
                    let byte = buffer[index]
                    if byte == delimiter || byte == newline { break }
                    index += 1
                }
                var end = index
                if end > start && buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                fields.append(Field(start: start, end: end))
            }
            if index >= buffer.count { return true }
            let separator = buffer[index]
            index += 1
            if separator == newline {
                line += 1
                return true
            }
        }
    }

    private mutating func quotedField(column: Int) throws -> Field {
        let openedOn = line
        index += 1
        let start = index
        var escaped = false
        var scratchStart = 0
        while index < buffer.count {
            let byte = buffer[index]
            if byte == UInt8(ascii: "\"") {
                if index + 1 < buffer.count && buffer[index + 1] == UInt8(ascii: "\"") {
                    if !escaped {
                        escaped = true
                        scratchStart = scratch.count
                        scratch.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[start..<index]))
                    }
                    scratch.append(byte)
                    index += 2
                    continue
                }
                let end = index
                index += 1
                if index < buffer.count && buffer[index] == UInt8(ascii: "\r") && newline != UInt8(ascii: "\r") {
                    index += 1
                }
                guard index >= buffer.count || buffer[index] == delimiter || buffer[index] == newline else {
                    throw FileError(
                        file: path, line: line, column: column,
                        "unexpected text after a closing quote; a quote inside a quoted field is written twice (\"\")")
                }
                return escaped
                    ? Field(start: scratchStart, end: scratch.count, unescaped: true) : Field(start: start, end: end)
            }
            if byte == newline { line += 1 }
            if escaped { scratch.append(byte) }
            index += 1
        }
        throw FileError(file: path, line: openedOn, column: column, "a quoted field is never closed")
    }
}
