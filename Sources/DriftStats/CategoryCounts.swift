/// How often each category occurs in a sample (missing values are left out by the caller).
public struct CategoryCounts: Sendable, Equatable {
    public private(set) var counts: [String: Int] = [:]
    public private(set) var total = 0

    public init() {}

    /// Counts an array of categories (an array, not a generic sequence, keeps the loop specialised across
    /// modules).
    public init(_ values: [String]) {
        var counter = CategoryCounter()
        for value in values { counter.add(value) }
        self = counter.categoryCounts
    }

    public mutating func add(_ value: String, count: Int = 1) {
        counts[value, default: 0] += count
        total += count
    }

    public subscript(category: String) -> Int { counts[category] ?? 0 }

    public var categories: Set<String> { Set(counts.keys) }
}
