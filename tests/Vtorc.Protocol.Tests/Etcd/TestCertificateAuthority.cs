using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Vtorc.LocalCluster;

namespace Vtorc.Protocol.Tests.Etcd;

/// <summary>
/// A throw-away CA with a loopback server certificate and a client certificate, written as PEM files into a
/// temp directory (deleted on dispose). Go's TLS stack needs SANs and the right extended key usages.
/// </summary>
internal sealed class TestCertificateAuthority : IDisposable
{
    private TestCertificateAuthority(string directory, EtcdTlsFiles files)
    {
        Directory = directory;
        Files = files;
    }

    public string Directory { get; }

    public EtcdTlsFiles Files { get; }

    public static TestCertificateAuthority Create()
    {
        var directory = Path.Combine(Path.GetTempPath(), "vtorc-tls-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(directory);
        var now = DateTimeOffset.UtcNow;

        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=vtorc test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));

        var server = Issue(ca, "CN=127.0.0.1", serverAuth: true, now, directory, "server");
        var client = Issue(ca, "CN=vtorc test client", serverAuth: false, now, directory, "client");
        var caPath = Path.Combine(directory, "ca.pem");
        File.WriteAllText(caPath, ca.ExportCertificatePem());
        return new TestCertificateAuthority(directory, new EtcdTlsFiles(server.Cert, server.Key, caPath, client.Cert, client.Key));
    }

    public void Dispose()
    {
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    private static (string Cert, string Key) Issue(
        X509Certificate2 ca, string subject, bool serverAuth, DateTimeOffset now, string directory, string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        var usage = serverAuth ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2";
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usage)], false));
        if (serverAuth)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(IPAddress.Loopback);
            names.AddDnsName("localhost");
            request.CertificateExtensions.Add(names.Build());
        }
        var serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7f;
        using var cert = request.Create(ca, now.AddMinutes(-5), now.AddDays(1), serial);
        var certPath = Path.Combine(directory, name + ".pem");
        var keyPath = Path.Combine(directory, name + "-key.pem");
        File.WriteAllText(certPath, cert.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return (certPath, keyPath);
    }
}
