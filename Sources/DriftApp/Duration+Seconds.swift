extension Duration {
    /// The duration in seconds, with its fraction (for timeouts, rates and processing times).
    public var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
