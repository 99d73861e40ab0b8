namespace Vtorc.Reparent.TabletManager;

/// <summary>
/// A health stream ended because its own client replaced the tablet's connection on purpose
/// (<see cref="ITabletManagerClient.ResetConnection"/>: a probe on a new connection before a dead primary is failed over,
/// docs/reliability.md "Fencing before promotion"). Nothing is known about the tablet from it: the caller reopens the
/// stream at once, on the new connection, and the probe that replaced the connection is already looking at the tablet.
/// </summary>
public sealed class HealthStreamConnectionReplacedException(string message, Exception cause) : Exception(message, cause);
