using System.CommandLine;
using Vtorc.Reparent.TabletManager;

namespace Vtorc.Cli.Flags;

/// <summary>
/// TLS and static authentication towards the tablets (go/vt/vttablet/grpctmclient, go/vt/grpcclient): the flags
/// under their Vitess names, for the daemon and `ctl`; their rules are <see cref="TabletClientSecurity"/>'s
/// (docs/wire-format.md, "TLS and auth"). The etcd TLS flags are with the other topology flags in <see cref="TopoFlags"/>.
/// </summary>
internal sealed class TabletTlsFlags
{
    public Option<string?> Ca { get; } = Create("--tablet-manager-grpc-ca", "CA bundle (PEM) the tablets' certificates must chain to, instead of the system roots; turns TLS to tablets on");

    public Option<string?> Cert { get; } = Create("--tablet-manager-grpc-cert", "client certificate (PEM) offered to tablets; needs --tablet-manager-grpc-key; turns TLS to tablets on");

    public Option<string?> Key { get; } = Create("--tablet-manager-grpc-key", "private key file of --tablet-manager-grpc-cert");

    public Option<string?> Crl { get; } = Create("--tablet-manager-grpc-crl", "certificate revocation list (PEM or DER): a tablet certificate listed in it is refused");

    public Option<string?> ServerName { get; } = Create("--tablet-manager-grpc-server-name", "name the tablets' certificates are checked against (and sent as SNI) instead of each tablet's host name");

    public Option<string?> StaticClientCreds { get; } = Create("--grpc-auth-static-client-creds",
        "JSON file with the username and password sent to tablets that use static authentication");

    public IEnumerable<Option> All => [Ca, Cert, Key, Crl, ServerName, StaticClientCreds];

    /// <summary>Adds the flags; <paramref name="recursive"/> makes them valid on every subcommand too (`ctl`).</summary>
    public void AddTo(Command command, bool recursive = false)
    {
        foreach (var option in All)
        {
            option.Recursive = recursive;
            command.Add(option);
        }
    }

    /// <summary>The files the flags name; read (and checked) by <see cref="TabletClientSecurity.Apply"/>.</summary>
    public TabletClientSecurity GetValues(ParseResult parseResult) => new()
    {
        CertPath = parseResult.GetValue(Cert),
        KeyPath = parseResult.GetValue(Key),
        CaPath = parseResult.GetValue(Ca),
        CrlPath = parseResult.GetValue(Crl),
        ServerName = parseResult.GetValue(ServerName),
        StaticClientCredentialsPath = parseResult.GetValue(StaticClientCreds),
    };

    private static Option<string?> Create(string name, string description) => new(name) { Description = description, HelpName = "string" };
}
