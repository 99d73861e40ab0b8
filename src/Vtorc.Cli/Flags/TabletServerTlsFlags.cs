using System.CommandLine;
using Vtorc.Agent;

namespace Vtorc.Cli.Flags;

/// <summary>TLS and static auth of `vtorc tablet`'s gRPC port, under vttablet's flag names (go/vt/servenv/grpc_server.go).</summary>
internal sealed class TabletServerTlsFlags
{
    public Option<string?> Cert { get; } = new("--grpc-cert")
    {
        Description = "server certificate (PEM, leaf first) of the gRPC port; needs --grpc-key; turns TLS on",
        HelpName = "file",
    };

    public Option<string?> Key { get; } = new("--grpc-key") { Description = "private key (PEM) of --grpc-cert", HelpName = "file" };

    public Option<string?> Ca { get; } = new("--grpc-ca")
    {
        Description = "CA bundle (PEM): clients must present a certificate that chains to it",
        HelpName = "file",
    };

    public Option<string?> Crl { get; } = new("--grpc-crl")
    {
        Description = "certificate revocation list (PEM or DER): a client certificate listed in it is refused",
        HelpName = "file",
    };

    public Option<string?> AuthMode { get; } = new("--grpc-auth-mode")
    {
        Description = "\"static\": every call must carry a username and password from --grpc-auth-static-password-file; empty: no auth",
        HelpName = "mode",
    };

    public Option<string?> StaticPasswordFile { get; } = new("--grpc-auth-static-password-file")
    {
        Description = "JSON array [{\"Username\": …, \"Password\": …}] (or \"CachingSha2Password\") of the users --grpc-auth-mode static admits",
        HelpName = "file",
    };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Cert, Key, Ca, Crl, AuthMode, StaticPasswordFile })
        {
            command.Add(option);
        }
    }

    public TabletServerSecurity GetValues(ParseResult parseResult) => new()
    {
        CertPath = parseResult.GetValue(Cert),
        KeyPath = parseResult.GetValue(Key),
        CaPath = parseResult.GetValue(Ca),
        CrlPath = parseResult.GetValue(Crl),
        AuthMode = parseResult.GetValue(AuthMode),
        StaticAuthPasswordFile = parseResult.GetValue(StaticPasswordFile),
    };
}
