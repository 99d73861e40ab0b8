using System.CommandLine;
using System.Security.Cryptography.X509Certificates;
using Vtorc.Protocol.Rpc;

namespace Vtorc.Cli.Flags;

/// <summary>HTTPS for the daemon's /api, /debug and /metrics. Our flags: Vitess serves vtorc's HTTP port in plaintext only.</summary>
internal sealed class HttpTlsFlags
{
    public Option<string?> Cert { get; } = new("--http-tls-cert")
    {
        Description = "certificate (PEM, leaf first) for serving --port over HTTPS instead of HTTP; needs --http-tls-key (our flag, not Vitess's)",
        HelpName = "file",
    };

    public Option<string?> Key { get; } = new("--http-tls-key") { Description = "private key (PEM) of --http-tls-cert (our flag)", HelpName = "file" };

    public void AddTo(Command command)
    {
        command.Add(Cert);
        command.Add(Key);
    }

    /// <summary>The certificate to serve, or null for plaintext; throws <see cref="ArgumentException"/> naming the flag and file.</summary>
    public X509Certificate2? Load(ParseResult parseResult)
    {
        var cert = parseResult.GetValue(Cert);
        var key = parseResult.GetValue(Key);
        if (string.IsNullOrEmpty(cert) != string.IsNullOrEmpty(key))
        {
            throw new ArgumentException("--http-tls-cert and --http-tls-key must be given together");
        }
        return string.IsNullOrEmpty(cert) ? null : PemFiles.LoadCertificateWithKey(cert, key!, "--http-tls-cert/--http-tls-key");
    }
}
