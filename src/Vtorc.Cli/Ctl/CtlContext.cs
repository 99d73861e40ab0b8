using System.CommandLine;
using Vtorc.Cli.Flags;
using Vtorc.Reparent.Durability;
using Vtorc.Topo;

namespace Vtorc.Cli.Ctl;

/// <summary>What one ctl command runs with: the topology opened from the flags, its output and a deadline-bound token.</summary>
internal sealed class CtlContext
{
    public CtlContext(TopoServer topo, TextWriter output, ParseResult parseResult, CancellationToken cancellationToken)
    {
        Topo = topo;
        Output = output;
        ParseResult = parseResult;
        CancellationToken = cancellationToken;
    }

    public TopoServer Topo { get; }

    public TextWriter Output { get; }

    public ParseResult ParseResult { get; }

    public CancellationToken CancellationToken { get; }

    /// <summary>TLS and static auth to tablets (--tablet-manager-grpc-*, --grpc-auth-static-client-creds).</summary>
    public Reparent.TabletManager.TabletClientSecurity TabletSecurity { get; init; } = new();

    public static DurabilityPolicyRegistry Durability { get; } = DurabilityPolicyRegistry.CreateDefault();

    public T Get<T>(Option<T> option) => ParseResult.GetValue(option)!;

    public T Get<T>(Argument<T> argument) => ParseResult.GetValue(argument)!;

    public static TopoServerOptions OptionsFrom(ParseResult parseResult, TopoFlags flags)
    {
        var addresses = parseResult.GetValue(flags.GlobalServerAddress);
        if (string.IsNullOrWhiteSpace(addresses))
        {
            throw new CtlUsageException("--topo-global-server-address is required (comma-separated etcd endpoints of the global topology)");
        }

        return new TopoServerOptions
        {
            GlobalServerAddresses = TopoServerOptions.SplitAddresses(addresses),
            GlobalRoot = parseResult.GetValue(flags.GlobalRoot)!,
            TlsCertFile = parseResult.GetValue(flags.EtcdTlsCert),
            TlsKeyFile = parseResult.GetValue(flags.EtcdTlsKey),
            TlsCaFile = parseResult.GetValue(flags.EtcdTlsCa),
            LockTtl = TimeSpan.FromSeconds(parseResult.GetValue(flags.EtcdLeaseTtl)),
            OperationTimeout = flags.RemoteOperationTimeout.GetValue(parseResult),
            LockTimeout = flags.LockTimeout.GetValue(parseResult),
        };
    }
}
