namespace Vtorc.LocalCluster;

/// <summary>The kinds of process a local cluster runs, in the order <c>vtorc local down</c> stops them.</summary>
public static class LocalProcessKinds
{
    public const string Daemon = "vtorc";
    public const string Agent = "agent";
    public const string MySqld = "mysqld";
    public const string Etcd = "etcd";

    public static readonly IReadOnlyList<string> StopOrder = [Daemon, Agent, MySqld, Etcd];
}
