using Vtorc.Protocol.Rpc;

namespace Vtorc.Agent;

/// <summary>
/// TLS and static auth of the agent's gRPC port, with vttablet's flags and rules (go/vt/servenv/grpc_server.go,
/// go/vt/servenv/grpc_server_auth_static.go): TLS when certificate and key are given; a CA makes client certificates
/// required (they must chain to it); a revocation list refuses listed client certificates; <c>--grpc-auth-mode static</c>
/// with <c>--grpc-auth-static-password-file</c> makes every call carry a known username and password.
/// </summary>
public sealed record TabletServerSecurity
{
    public const string StaticAuthMode = "static";

    /// <summary><c>--grpc-cert</c>.</summary>
    public string? CertPath { get; init; }

    /// <summary><c>--grpc-key</c>.</summary>
    public string? KeyPath { get; init; }

    /// <summary><c>--grpc-ca</c>.</summary>
    public string? CaPath { get; init; }

    /// <summary><c>--grpc-crl</c>.</summary>
    public string? CrlPath { get; init; }

    /// <summary><c>--grpc-auth-mode</c>: empty (none) or "static".</summary>
    public string? AuthMode { get; init; }

    /// <summary><c>--grpc-auth-static-password-file</c>.</summary>
    public string? StaticAuthPasswordFile { get; init; }

    public bool UsesTls => !string.IsNullOrEmpty(CertPath);

    /// <summary>Throws <see cref="ArgumentException"/> naming the flags of a combination that cannot work; reads no file.</summary>
    public void Validate()
    {
        if (string.IsNullOrEmpty(CertPath) != string.IsNullOrEmpty(KeyPath))
        {
            throw new ArgumentException("--grpc-cert and --grpc-key must be given together");
        }
        if (!UsesTls && (!string.IsNullOrEmpty(CaPath) || !string.IsNullOrEmpty(CrlPath)))
        {
            throw new ArgumentException("--grpc-ca and --grpc-crl need TLS: give --grpc-cert and --grpc-key too");
        }
        if (!string.IsNullOrEmpty(CrlPath) && string.IsNullOrEmpty(CaPath))
        {
            throw new ArgumentException("--grpc-crl checks client certificates, which only --grpc-ca asks for: give --grpc-ca too");
        }
        switch (AuthMode ?? "")
        {
            case "":
                if (!string.IsNullOrEmpty(StaticAuthPasswordFile))
                {
                    // vttablet ignores the file without the mode; an operator who gave one surely wants it checked.
                    throw new ArgumentException("--grpc-auth-static-password-file is given but --grpc-auth-mode is not \"static\": set --grpc-auth-mode static");
                }
                break;
            case StaticAuthMode:
                if (string.IsNullOrEmpty(StaticAuthPasswordFile))
                {
                    throw new ArgumentException("--grpc-auth-mode static needs --grpc-auth-static-password-file");
                }
                break;
            default:
                throw new ArgumentException($"--grpc-auth-mode \"{AuthMode}\" is not supported: only \"static\" (or empty for none)");
        }
    }

    /// <summary><paramref name="options"/> with the files loaded; errors name the flag and the file.</summary>
    public RpcServerOptions Apply(RpcServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate();
        var result = options;
        if (UsesTls)
        {
            bool requireClientCertificate = !string.IsNullOrEmpty(CaPath);
            result = result with
            {
                Certificate = PemFiles.LoadCertificateWithKey(CertPath!, KeyPath!, "--grpc-cert/--grpc-key"),
                RequireClientCertificate = requireClientCertificate,
                ClientCertificateAuthorities = requireClientCertificate ? PemFiles.LoadCertificates(CaPath!, "--grpc-ca") : null,
                ClientCertificateRevocationLists = string.IsNullOrEmpty(CrlPath) ? null : PemFiles.LoadRevocationLists(CrlPath, "--grpc-crl"),
            };
        }
        if (AuthMode == StaticAuthMode)
        {
            result = result with { StaticAuth = StaticAuthUsers.Load(StaticAuthPasswordFile!, "--grpc-auth-static-password-file") };
        }
        return result;
    }
}
