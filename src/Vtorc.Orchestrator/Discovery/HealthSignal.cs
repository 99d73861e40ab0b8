namespace Vtorc.Orchestrator.Discovery;

/// <summary>
/// A tablet's health stream turned unhealthy. <paramref name="StreamLost"/>: the stream ended, failed or fell silent (the
/// tablet or its host may be gone), as opposed to a message from a reachable tablet reporting a health error;
/// <paramref name="Silent"/>: it fell silent (nothing came back, not even a reset), the one loss a daemon that reads late
/// can mistake for the tablet's.
/// </summary>
public sealed record HealthSignal(string Alias, string Reason, bool StreamLost, bool Silent = false);
