/// The features of one event: names and values side by side, in the order the event gave them, names unique.
///
/// Not a dictionary because of the hot path: events of one producer repeat one key order, so the decoder
/// shares one `names` array between consecutive events (`FeatureNameCache`) and a window maps that array to its
/// reference's features once, instead of hashing every name of every event twice. Equality ignores order, as a
/// JSON object's does.
public struct Features: Sendable, Equatable, Sequence, ExpressibleByDictionaryLiteral {
    public private(set) var names: [String]
    public private(set) var values: [FeatureValue]

    public init() {
        names = []
        values = []
    }

    /// Names must be unique (the decoders check; this does not).
    init(uniqueNames names: [String], values: [FeatureValue]) {
        precondition(names.count == values.count, "one value per feature name")
        self.names = names
        self.values = values
    }

    /// The features of a dictionary, in name order.
    public init(_ dictionary: [String: FeatureValue]) {
        let sorted = dictionary.sorted { $0.key < $1.key }
        names = sorted.map(\.key)
        values = sorted.map(\.value)
    }

    public init(dictionaryLiteral elements: (String, FeatureValue)...) {
        self.init(Dictionary(elements) { _, _ in preconditionFailure("a feature name appears twice in a literal") })
    }

    public var count: Int { names.count }
    public var isEmpty: Bool { names.isEmpty }

    /// A feature's value by name (a linear search: events hold tens of features), or nil when absent.
    /// Setting nil removes the feature; setting a new name appends it.
    public subscript(name: String) -> FeatureValue? {
        get { names.firstIndex(of: name).map { values[$0] } }
        set {
            switch (names.firstIndex(of: name), newValue) {
            case (let index?, let value?): values[index] = value
            case (let index?, nil):
                names.remove(at: index)
                values.remove(at: index)
            case (nil, let value?):
                names.append(name)
                values.append(value)
            case (nil, nil): break
            }
        }
    }

    public var dictionary: [String: FeatureValue] { Dictionary(uniqueKeysWithValues: zip(names, values)) }

    public struct Iterator: IteratorProtocol {
        private let features: Features
        private var index = 0

        init(_ features: Features) { self.features = features }

        public mutating func next() -> (name: String, value: FeatureValue)? {
            guard index < features.names.count else { return nil }
            defer { index += 1 }
            return (features.names[index], features.values[index])
        }
    }

    public func makeIterator() -> Iterator { Iterator(self) }

    public static func == (a: Features, b: Features) -> Bool {
        if a.names == b.names { return a.values == b.values }
        return a.count == b.count && a.dictionary == b.dictionary
    }
}

/// The feature names of the last event a decoder read, with their bytes: the next event with the same keys in
/// the same order shares the array (no strings made, no duplicate check: they were unique the first time).
public struct FeatureNameCache: Sendable {
    var names: [String] = []
    /// The names' UTF-8 bytes, one after the other; name i ends at `ends[i]`.
    var bytes: [UInt8] = []
    var ends: [Int] = []

    public init() {}

    mutating func remember(_ names: [String]) {
        self.names = names
        bytes = names.flatMap(\.utf8)
        ends = []
        var end = 0
        for name in names {
            end += name.utf8.count
            ends.append(end)
        }
    }
}
