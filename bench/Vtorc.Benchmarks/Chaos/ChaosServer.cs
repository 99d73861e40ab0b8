using Vtorc.Agent.MySql;
using Vtorc.LocalCluster;
using Vtorc.LocalCluster.Network;

namespace Vtorc.Benchmarks.Chaos;

/// <summary>
/// One tablet of the chaos cluster: its MariaDB and agent run in their own network namespace; its unix socket is
/// reachable from the host whatever the network does, which is how the checker (a client "next to" the server) talks to it.
/// </summary>
internal sealed record ChaosServer(LocalTabletRecord Tablet, NetworkNamespace Namespace)
{
    public const string AppUser = "chaos_app";

    public const string AppPassword = "chaos_app_pass";

    public string Alias => Tablet.Alias;

    public string SocketPath => Path.Combine(Tablet.MySqlDirectory, "mysqld.sock");

    /// <summary>root over the socket (no password): the checker's privileged reads, never its test writes.</summary>
    public MySqlConnectionOptions Root(TimeSpan timeout) => new()
    {
        UnixSocket = SocketPath,
        User = "root",
        ConnectTimeout = timeout,
        CommandTimeout = timeout,
    };

    /// <summary>The unprivileged application account (INSERT and SELECT on the ledger table only): read_only stops it.</summary>
    public MySqlConnectionOptions App(TimeSpan timeout) => Root(timeout) with { User = AppUser, Password = AppPassword };
}
