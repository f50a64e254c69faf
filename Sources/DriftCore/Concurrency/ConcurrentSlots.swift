import Dispatch

/// Slots written by `concurrentPerform` iterations, each iteration only its own index, read after all have
/// finished: that discipline, not a lock, is what makes this `@unchecked Sendable` class safe.
public final class ConcurrentSlots<Value>: @unchecked Sendable {
    private let storage: UnsafeMutableBufferPointer<Value?>

    public init(count: Int) {
        storage = .allocate(capacity: count)
        storage.initialize(repeating: nil)
    }

    deinit {
        storage.deinitialize()
        storage.deallocate()
    }

    public subscript(index: Int) -> Value? {
        get { storage[index] }
        set { storage[index] = newValue }
    }

    public var values: [Value] { storage.map { $0! } }
}

extension Array where Element: Sendable {
    /// `map`, with the elements transformed concurrently on the machine's cores; the results keep their order.
    public func concurrentMap<T>(_ transform: @Sendable (Element) -> T) -> [T] {
        guard count > 1 else { return map(transform) }
        let slots = ConcurrentSlots<T>(count: count)
        withoutActuallyEscaping(transform) { transform in
            DispatchQueue.concurrentPerform(iterations: count) { index in slots[index] = transform(self[index]) }
        }
        return slots.values
    }
}
