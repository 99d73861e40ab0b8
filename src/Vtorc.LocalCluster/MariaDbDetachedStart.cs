using System.Diagnostics;

namespace Vtorc.LocalCluster;

/// <summary>
/// How to start a MariaDB server prepared by <see cref="MariaDbProcess.PrepareDetachedAsync"/>: its command line, the
/// error log that says "ready for connections" (<see cref="MariaDbProcess.ReadyMarker"/>), where stdout and stderr go,
/// and the server's unix socket and server id.
/// </summary>
public sealed record MariaDbDetachedStart(ProcessStartInfo StartInfo, string ErrorLogPath, string OutputLogPath, string SocketPath, int ServerId);
