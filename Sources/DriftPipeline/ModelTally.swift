/// Events per model name within one batch. A batch holds a handful of models, so the counts are a short list
/// searched by string equality (the last one found first): no hashing of every event's model name. Past
/// `listLimit` models it keeps a dictionary instead.
struct ModelTally {
    static let listLimit = 16

    private var list: [(model: String, count: Int)] = []
    private var last = 0
    private var overflow: [String: Int] = [:]

    mutating func add(_ model: String) {
        if last < list.count && list[last].model == model {
            list[last].count += 1
            return
        }
        if let found = list.firstIndex(where: { $0.model == model }) {
            list[found].count += 1
            last = found
        } else if list.count < Self.listLimit {
            list.append((model, 1))
            last = list.count - 1
        } else {
            overflow[model, default: 0] += 1
        }
    }

    /// Each model counted, with its count, in no particular order.
    var counts: [(model: String, count: Int)] { list + overflow.map { ($0.key, $0.value) } }
}
