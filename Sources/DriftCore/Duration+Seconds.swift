extension Duration {
    /// The duration in seconds, with its fraction (for timeouts, rates and processing times).
    public var seconds: Double {
        let (seconds, attoseconds) = components  // one 128-bit division, not two
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
