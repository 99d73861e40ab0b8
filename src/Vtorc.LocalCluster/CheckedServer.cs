using Vtorc.Agent.MySql;

namespace Vtorc.LocalCluster;

/// <summary>
/// A MariaDB server as a checker's client sees it (<see cref="LedgerWriter"/>, <see cref="ReadOnlySampler"/>): the
/// name its results are reported under (a tablet alias) and how to connect (e.g. the unprivileged account over the
/// unix socket, which network partitions do not cut).
/// </summary>
public sealed record CheckedServer(string Name, MySqlConnectionOptions Options);
