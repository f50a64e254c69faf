import Yams

/// A YAML node with its dotted path and source position, whose accessors throw `ConfigError`s that say where
/// the bad value is and what was expected.
struct ConfigNode {
    let node: Node
    let path: String
    let file: String

    func error(_ message: String) -> ConfigError {
        ConfigError(file: file, line: node.mark?.line, column: node.mark?.column, "\(path): \(message)")
    }

    /// The entries of a mapping; any key not in `allowed` is an error that lists the allowed ones.
    func mapping(allowed: [String]) throws -> [String: ConfigNode] {
        guard case .mapping(let mapping) = node else {
            throw error("expected a mapping with keys \(allowed.joined(separator: ", "))")
        }
        var entries: [String: ConfigNode] = [:]
        for (keyNode, value) in mapping {
            guard let key = keyNode.string else { throw child(keyNode, "?").error("keys must be strings") }
            guard allowed.contains(key) else {
                throw child(keyNode, key).error("unknown key; expected one of: \(allowed.joined(separator: ", "))")
            }
            entries[key] = child(value, key)
        }
        return entries
    }

    /// `mapping(allowed:)`, except that unknown keys are kept in `problems` (and left out) when it collects.
    func mapping(problems: ConfigProblems, allowed: [String]) throws -> [String: ConfigNode] {
        guard problems.collecting, case .mapping(let mapping) = node else { return try self.mapping(allowed: allowed) }
        var entries: [String: ConfigNode] = [:]
        for (keyNode, value) in mapping {
            let key = keyNode.string ?? "?"
            guard allowed.contains(key) else {
                try problems.attempt {
                    throw child(keyNode, key).error("unknown key; expected one of: \(allowed.joined(separator: ", "))")
                }
                continue
            }
            entries[key] = child(value, key)
        }
        return entries
    }

    /// A mapping of free-form keys to scalar values, as text (librdkafka properties, topic configs).
    func stringMap() throws -> [(key: String, value: String, node: ConfigNode)] {
        if case .scalar(let scalar) = node, scalar.string.isEmpty || scalar.string == "~" || scalar.string == "null" {
            return []
        }
        guard case .mapping(let mapping) = node else { throw error("expected a mapping of names to values") }
        return try mapping.map { keyNode, value in
            guard let key = keyNode.string, !key.isEmpty else {
                throw child(keyNode, "?").error("keys must be strings")
            }
            let entry = child(value, key)
            guard case .scalar(let scalar) = value else { throw entry.error("expected a single value") }
            return (key, scalar.string, entry)
        }
    }

    /// A mapping of free-form names (model ids) to nodes, in file order.
    func stringKeyedMappings() throws -> [(key: String, node: ConfigNode)] {
        guard case .mapping(let mapping) = node else { throw error("expected a mapping of names to settings") }
        return try mapping.map { keyNode, value in
            guard let key = keyNode.string, !key.isEmpty else {
                throw child(keyNode, "?").error("keys must be strings")
            }
            return (key, child(value, key))
        }
    }

    /// The items of a list, with `[index]` paths.
    func sequence() throws -> [ConfigNode] {
        guard case .sequence(let sequence) = node else { throw error("expected a list") }
        return sequence.enumerated().map { ConfigNode(node: $1, path: "\(path)[\($0)]", file: file) }
    }

    func string() throws -> String {
        guard case .scalar(let scalar) = node, !scalar.string.isEmpty else {
            throw error("expected a non-empty string")
        }
        return scalar.string
    }

    /// One of an enum's string raw values; `expected` names the choices for the error ("a, b or c").
    func choice<Value: RawRepresentable>(_ type: Value.Type, expected: String) throws -> Value
    where Value.RawValue == String {
        let text = try string()
        guard let value = Value(rawValue: text) else { throw error("expected \(expected), got '\(text)'") }
        return value
    }

    /// `true` or `false` (YAML's other spellings of booleans are refused: they surprise).
    func bool() throws -> Bool {
        switch scalarText {
        case "true": return true
        case "false": return false
        case let text: throw error("expected true or false, got '\(text)'")
        }
    }

    func int(in range: ClosedRange<Int>) throws -> Int {
        guard let value = node.int else { throw error("expected a whole number, got '\(scalarText)'") }
        guard range.contains(value) else {
            throw error("\(value) is out of range \(range.lowerBound)…\(range.upperBound)")
        }
        return value
    }

    func double(in range: ClosedRange<Double>) throws -> Double {
        guard let value = node.float, value.isFinite else { throw error("expected a number, got '\(scalarText)'") }
        guard range.contains(value) else {
            throw error("\(value) is out of range \(range.lowerBound)…\(range.upperBound)")
        }
        return value
    }

    /// A duration such as `500ms`, `30s`, `5m`, `2h` or `1d`, in milliseconds; must be positive.
    func durationMilliseconds(allowZero: Bool = false) throws -> Int64 {
        let text = scalarText.trimmingWhitespace()
        let units: [(String, Int64)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000)]
        for (suffix, factor) in units where text.hasSuffix(suffix) {
            let number = text.dropLast(suffix.count)
            if let value = Int64(number), value >= 0, value <= Int64.max / factor, allowZero || value > 0 {
                return value * factor
            }
            break
        }
        throw error("expected a \(allowZero ? "" : "positive ")duration like 500ms, 30s, 5m, 2h or 1d, got '\(text)'")
    }

    private var scalarText: String {
        if case .scalar(let scalar) = node { return scalar.string }
        return "a \(node.isMapping ? "mapping" : "list")"
    }

    private func child(_ node: Node, _ key: String) -> ConfigNode {
        ConfigNode(node: node, path: path.isEmpty ? key : "\(path).\(key)", file: file)
    }
}

extension Node {
    fileprivate var isMapping: Bool { if case .mapping = self { true } else { false } }
}

extension String {
    func trimmingWhitespace() -> String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
