using System.CommandLine;
using Vtorc.Reparent.TabletManager;

namespace Vtorc.Cli.Flags;

/// <summary>
/// How we reach tablets over TLS and with static auth: Vitess's grpctmclient and grpcclient flags under their names
/// (go/vt/vttablet/grpctmclient/client.go, go/vt/grpcclient/client_auth_static.go), for the daemon and `ctl`.
/// </summary>
public sealed class TabletClientTlsFlags
{
    public Option<string?> Cert { get; } = new("--tablet-manager-grpc-cert")
    {
        Description = "client certificate (PEM) offered to tablets; needs --tablet-manager-grpc-key; turns TLS to tablets on",
        HelpName = "file",
    };

    public Option<string?> Key { get; } = new("--tablet-manager-grpc-key") { Description = "private key (PEM) of --tablet-manager-grpc-cert", HelpName = "file" };

    public Option<string?> Ca { get; } = new("--tablet-manager-grpc-ca")
    {
        Description = "CA bundle (PEM) tablets' certificates must chain to, instead of the system roots; turns TLS to tablets on",
        HelpName = "file",
    };

    public Option<string?> Crl { get; } = new("--tablet-manager-grpc-crl")
    {
        Description = "certificate revocation list (PEM or DER): a tablet certificate listed in it is refused",
        HelpName = "file",
    };

    public Option<string?> ServerName { get; } = new("--tablet-manager-grpc-server-name")
    {
        Description = "name tablets' certificates are checked against (and sent as SNI) instead of each tablet's host name",
        HelpName = "name",
    };

    public Option<string?> StaticClientCreds { get; } = new("--grpc-auth-static-client-creds")
    {
        Description = "JSON file {\"Username\": …, \"Password\": …} sent to tablets on every call, for tablets with --grpc-auth-mode static",
        HelpName = "file",
    };

    public void AddTo(Command command, bool recursive = false)
    {
        foreach (var option in new Option[] { Cert, Key, Ca, Crl, ServerName, StaticClientCreds })
        {
            option.Recursive = recursive;
            command.Add(option);
        }
    }

    public TabletClientSecurity GetValues(ParseResult parseResult) => new()
    {
        CertPath = parseResult.GetValue(Cert),
        KeyPath = parseResult.GetValue(Key),
        CaPath = parseResult.GetValue(Ca),
        CrlPath = parseResult.GetValue(Crl),
        ServerName = parseResult.GetValue(ServerName),
        StaticClientCredentialsPath = parseResult.GetValue(StaticClientCreds),
    };
}
