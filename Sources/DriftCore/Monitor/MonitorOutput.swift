/// What the monitor asks the outside world to do.
public enum MonitorOutput: Sendable, Equatable {
    case report(WindowReport)
    case trigger(RetrainTrigger)
    case alert(Alert)
    /// A window's model performance, once its labels had their time to arrive.
    case performance(PerformanceReport)
    /// The event at this position arrived after its windows closed (counted; routed to the late topic if set).
    case late(EventPosition)
    /// A reference was bootstrapped from events: keep it, so a restart compares with the same reference.
    case referenceCaptured(model: String, ReferenceProfile)
}
