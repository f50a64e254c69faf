import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// glibc's malloc gives threads that allocate at the same time arenas of their own (up to eight per core) and
/// keeps what is freed in each. The monitor's threads (decoding, concurrent window analysis, librdkafka's
/// broker threads) then hold some 30 MiB more than they use, and a different amount each run (peak RSS
/// 105–131 MiB in the end-to-end benchmark, 81–83 MiB with two arenas). `driftwatch run` and `demo` call this
/// first; the `MALLOC_ARENA_MAX` environment variable, when set, decides instead. No-op off glibc.
public enum MallocArenas {
    public static func limit(to count: Int32 = 2) {
        #if canImport(Glibc)
            guard ProcessInfo.processInfo.environment["MALLOC_ARENA_MAX"] == nil else { return }
            // mallopt is declared in malloc.h, which Swift's Glibc module leaves out: looked up in the process.
            guard let process = dlopen(nil, RTLD_NOW), let symbol = dlsym(process, "mallopt") else { return }
            typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
            let arenaMaximum: Int32 = -8  // M_ARENA_MAX in glibc's malloc.h
            _ = unsafeBitCast(symbol, to: Mallopt.self)(arenaMaximum, count)
        #endif
    }
}
