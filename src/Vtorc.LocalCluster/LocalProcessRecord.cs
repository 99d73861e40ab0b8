namespace Vtorc.LocalCluster;

/// <summary>
/// One long-lived process of a local cluster as the state file records it: enough to find it again (pid and start
/// time), to say what it is, and to start it again the same way (command line, log, the line it logs when ready).
/// </summary>
public sealed record LocalProcessRecord
{
    /// <summary>What it is: <see cref="LocalProcessKinds"/>.</summary>
    public required string Kind { get; init; }

    /// <summary>A name for messages: "etcd", "vtorc", or the tablet alias for mysqld and agents.</summary>
    public required string Name { get; init; }

    public required int Pid { get; init; }

    public required long StartTicks { get; init; }

    /// <summary>Named ports, e.g. "client" and "peer" for etcd, "mysql" for mysqld, "grpc" for an agent, "http" for the daemon.</summary>
    public Dictionary<string, int> Ports { get; init; } = [];

    /// <summary>Program first, then its arguments.</summary>
    public required IReadOnlyList<string> CommandLine { get; init; }

    public string? WorkingDirectory { get; init; }

    /// <summary>Where stdout and stderr go.</summary>
    public required string LogPath { get; init; }

    /// <summary>The log that says when it is ready (mysqld writes its own error log) and the line it prints then.</summary>
    public required string ReadyLogPath { get; init; }

    public required string ReadyMarker { get; init; }

    public ProcessIdentity Identity => new(Pid, StartTicks);

    public bool IsAlive => Identity.IsAlive;
}
