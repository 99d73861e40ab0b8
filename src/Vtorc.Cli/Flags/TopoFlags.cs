using System.CommandLine;

namespace Vtorc.Cli.Flags;

/// <summary>
/// The Vitess topology flags, under their Vitess names, so a command line written for Vitess's binaries
/// points ours at the same etcd. Only the `etcd2` implementation exists.
/// </summary>
internal sealed class TopoFlags
{
    public Option<string> Implementation { get; } = new("--topo-implementation")
    {
        Description = "the topology server implementation; only etcd2 is supported",
        DefaultValueFactory = _ => "etcd2",
        Validators =
        {
            r =>
            {
                var v = r.Tokens.Count > 0 ? r.Tokens[^1].Value : "etcd2";
                if (v != "etcd2")
                {
                    r.AddError($"invalid value \"{v}\" for flag --topo-implementation: only etcd2 is supported");
                }
            },
        },
    };

    public Option<string> GlobalServerAddress { get; } = new("--topo-global-server-address")
    {
        Description = "comma-separated etcd endpoints of the global topology (host:port, http://host:port or https://host:port)",
        HelpName = "addresses",
    };

    public Option<string> GlobalRoot { get; } = new("--topo-global-root")
    {
        Description = "key prefix of the global topology in etcd",
        DefaultValueFactory = _ => "/vitess/global",
    };

    public Option<string?> EtcdTlsCert { get; } = new("--topo-etcd-tls-cert") { Description = "client certificate file for etcd (TLS is used when both cert and key are given)" };

    public Option<string?> EtcdTlsKey { get; } = new("--topo-etcd-tls-key") { Description = "client private key file for etcd" };

    public Option<string?> EtcdTlsCa { get; } = new("--topo-etcd-tls-ca") { Description = "CA file to verify etcd's certificate (system roots when absent)" };

    public Option<int> EtcdLeaseTtl { get; } = new("--topo-etcd-lease-ttl")
    {
        Description = "lease TTL in seconds of the topology locks we take",
        DefaultValueFactory = _ => 30,
    };

    public DurationOption RemoteOperationTimeout { get; } =
        DurationOption.Create("--remote-operation-timeout", TimeSpan.FromSeconds(15), "time allowed for one topology or tablet call", allowZero: false);

    public DurationOption LockTimeout { get; } =
        DurationOption.Create("--lock-timeout", TimeSpan.FromSeconds(45), "time allowed to acquire a topology lock", allowZero: false);

    public IEnumerable<Option> All =>
        [Implementation, GlobalServerAddress, GlobalRoot, EtcdTlsCert, EtcdTlsKey, EtcdTlsCa, EtcdLeaseTtl, RemoteOperationTimeout.Option, LockTimeout.Option];

    /// <summary>Adds the flags; <paramref name="recursive"/> makes them valid on every subcommand too.</summary>
    public void AddTo(Command command, bool recursive = false)
    {
        foreach (var option in All)
        {
            option.Recursive = recursive;
            command.Add(option);
        }
    }
}
