using Vtorc.Protocol.Rpc;

namespace Vtorc.Reparent.TabletManager;

/// <summary>
/// How we authenticate to tablets and check them, as Vitess's grpctmclient reads its flags
/// (go/vt/vttablet/grpctmclient/client.go, go/vt/grpcclient): TLS is on when a client certificate or a CA is given;
/// the certificate needs its key; the CA replaces the system roots; the revocation list refuses listed server
/// certificates; the server name replaces the tablet's host name in SNI and the certificate check. The static
/// credentials are sent on every call, with or without TLS. Paths name PEM (or JSON) files; each property names its flag.
/// </summary>
public sealed record TabletClientSecurity
{
    /// <summary><c>--tablet-manager-grpc-cert</c>.</summary>
    public string? CertPath { get; init; }

    /// <summary><c>--tablet-manager-grpc-key</c>.</summary>
    public string? KeyPath { get; init; }

    /// <summary><c>--tablet-manager-grpc-ca</c>.</summary>
    public string? CaPath { get; init; }

    /// <summary><c>--tablet-manager-grpc-crl</c>.</summary>
    public string? CrlPath { get; init; }

    /// <summary><c>--tablet-manager-grpc-server-name</c>.</summary>
    public string? ServerName { get; init; }

    /// <summary><c>--grpc-auth-static-client-creds</c>.</summary>
    public string? StaticClientCredentialsPath { get; init; }

    public bool UsesTls => !string.IsNullOrEmpty(CertPath) || !string.IsNullOrEmpty(CaPath);

    /// <summary>
    /// <paramref name="options"/> with these files loaded. Throws <see cref="ArgumentException"/> naming the flag and the
    /// file when one cannot be used, so a bad setting stops start-up instead of failing every poll.
    /// </summary>
    public TabletManagerClientOptions Apply(TabletManagerClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        bool hasCert = !string.IsNullOrEmpty(CertPath);
        bool hasKey = !string.IsNullOrEmpty(KeyPath);
        if (hasCert != hasKey)
        {
            throw new ArgumentException("--tablet-manager-grpc-cert and --tablet-manager-grpc-key must be given together");
        }
        if (!UsesTls && (!string.IsNullOrEmpty(CrlPath) || !string.IsNullOrEmpty(ServerName)))
        {
            throw new ArgumentException(
                "--tablet-manager-grpc-crl and --tablet-manager-grpc-server-name need TLS: give --tablet-manager-grpc-ca or --tablet-manager-grpc-cert/--tablet-manager-grpc-key too");
        }
        var result = options;
        if (UsesTls)
        {
            result = result with
            {
                UseTls = true,
                ChannelOptions = options.ChannelOptions with
                {
                    ClientCertificate = hasCert ? PemFiles.LoadCertificateWithKey(CertPath!, KeyPath!, "--tablet-manager-grpc-cert/--tablet-manager-grpc-key") : null,
                    TrustedCertificateAuthorities = string.IsNullOrEmpty(CaPath) ? null : PemFiles.LoadCertificates(CaPath, "--tablet-manager-grpc-ca"),
                    RevocationLists = string.IsNullOrEmpty(CrlPath) ? null : PemFiles.LoadRevocationLists(CrlPath, "--tablet-manager-grpc-crl"),
                    ServerNameOverride = string.IsNullOrEmpty(ServerName) ? null : ServerName,
                },
            };
        }
        if (!string.IsNullOrEmpty(StaticClientCredentialsPath))
        {
            var credentials = StaticAuthClientCredentials.Load(StaticClientCredentialsPath, "--grpc-auth-static-client-creds");
            result = result with { Headers = [.. options.Headers ?? [], .. credentials.Headers] };
        }
        return result;
    }
}
