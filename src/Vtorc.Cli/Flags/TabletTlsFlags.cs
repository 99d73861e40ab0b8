using System.CommandLine;

namespace Vtorc.Cli.Flags;

/// <summary>
/// TLS and static authentication towards the tablets (go/vt/vttablet/grpctmclient, go/vt/grpcclient): the flags
/// under their Vitess names. Kept as one group because their wiring into the tablet client belongs to the TLS work
/// (the etcd TLS flags are with the other topology flags in <see cref="TopoFlags"/>).
/// </summary>
public sealed class TabletTlsFlags
{
    public Option<string?> Ca { get; } = Create("--tablet-manager-grpc-ca", "CA file to verify the tablets' server certificates");

    public Option<string?> Cert { get; } = Create("--tablet-manager-grpc-cert", "client certificate file presented to the tablets");

    public Option<string?> Key { get; } = Create("--tablet-manager-grpc-key", "private key file of --tablet-manager-grpc-cert");

    public Option<string?> Crl { get; } = Create("--tablet-manager-grpc-crl", "certificate revocation list checked against the tablets' certificates");

    public Option<string?> ServerName { get; } = Create("--tablet-manager-grpc-server-name", "server name expected in the tablets' certificates");

    public Option<string?> StaticClientCreds { get; } = Create("--grpc-auth-static-client-creds",
        "JSON file with the username and password sent to tablets that use static authentication");

    public IEnumerable<Option> All => [Ca, Cert, Key, Crl, ServerName, StaticClientCreds];

    public void AddTo(Command command)
    {
        foreach (var option in All)
        {
            command.Add(option);
        }
    }

    private static Option<string?> Create(string name, string description) => new(name) { Description = description, HelpName = "string" };
}
