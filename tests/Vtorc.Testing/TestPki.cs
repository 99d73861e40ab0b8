using System.Net;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Vtorc.LocalCluster;

namespace Vtorc.Testing;

/// <summary>
/// A throw-away certificate authority made inside the test, issuing server certificates (for 127.0.0.1 and localhost)
/// and client certificates, valid or expired, written as PEM files into a temp directory that is deleted on dispose.
/// It can also write a revocation list. Go's and .NET's TLS stacks both want SANs and the right extended key usages.
/// </summary>
public sealed class TestPki : IDisposable
{
    private readonly ECDsa _caKey;
    private readonly X509Certificate2 _ca;
    private int _files;

    public TestPki(string name = "vtorc test CA")
    {
        Directory = Path.Combine(Path.GetTempPath(), "vtorc-pki-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(Directory);
        _caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", _caKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        _ca = request.CreateSelfSigned(now.AddDays(-2), now.AddDays(30));
        CaPath = Path.Combine(Directory, "ca.pem");
        File.WriteAllText(CaPath, _ca.ExportCertificatePem());
    }

    public string Directory { get; }

    /// <summary>The CA certificate (PEM), what a peer is configured to trust.</summary>
    public string CaPath { get; }

    /// <summary>A server certificate for 127.0.0.1 and localhost.</summary>
    public IssuedCertificate IssueServer(bool expired = false) => Issue("CN=127.0.0.1", serverAuth: true, expired);

    /// <summary>A client-authentication certificate.</summary>
    public IssuedCertificate IssueClient(bool expired = false, string subject = "CN=vtorc test client") => Issue(subject, serverAuth: false, expired);

    /// <summary>A server certificate and a client certificate, as the files of an etcd that serves clients over mutual TLS.</summary>
    public EtcdTlsFiles IssueEtcdTlsFiles()
    {
        var server = IssueServer();
        var client = IssueClient();
        return new EtcdTlsFiles(server.CertPath, server.KeyPath, CaPath, client.CertPath, client.KeyPath);
    }

    /// <summary>The CA certificate alone, in memory, as an in-process server or client is configured to trust it.</summary>
    public X509Certificate2Collection TrustedAuthorities => [X509CertificateLoader.LoadCertificate(_ca.RawData)];

    /// <summary>An issued certificate with its private key, in memory, for an in-process server or client.</summary>
    public static X509Certificate2 LoadWithKey(IssuedCertificate issued)
    {
        ArgumentNullException.ThrowIfNull(issued);
        using var pem = X509Certificate2.CreateFromPemFile(issued.CertPath, issued.KeyPath);
        // Reload through PKCS#12 so SslStream gets a certificate whose key it can use on every platform.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>Writes a revocation list signed by this CA that revokes <paramref name="revoked"/>; returns its path.</summary>
    public string WriteRevocationList(params IssuedCertificate[] revoked)
    {
        var builder = new CertificateRevocationListBuilder();
        var now = DateTimeOffset.UtcNow;
        foreach (var certificate in revoked)
        {
            builder.AddEntry(certificate.SerialNumber, now.AddMinutes(-1));
        }
        var der = builder.Build(_ca, BigInteger.One, now.AddDays(7), HashAlgorithmName.SHA256, thisUpdate: now.AddMinutes(-1));
        var path = NextPath("crl");
        File.WriteAllText(path, PemEncoding.WriteString("X509 CRL", der));
        return path;
    }

    public void Dispose()
    {
        _ca.Dispose();
        _caKey.Dispose();
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    private IssuedCertificate Issue(string subject, bool serverAuth, bool expired)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(serverAuth ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2")], false));
        if (serverAuth)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(IPAddress.Loopback);
            names.AddDnsName("localhost");
            request.CertificateExtensions.Add(names.Build());
        }
        var serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7f;
        serial[0] |= 0x01;
        var now = DateTimeOffset.UtcNow;
        var (notBefore, notAfter) = expired ? (now.AddDays(-2), now.AddDays(-1)) : (now.AddDays(-1), now.AddDays(7));
        using var certificate = request.Create(_ca, notBefore, notAfter, serial);
        var certPath = NextPath(serverAuth ? "server" : "client");
        var keyPath = certPath[..^".pem".Length] + "-key.pem";
        File.WriteAllText(certPath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return new IssuedCertificate(certPath, keyPath, serial);
    }

    private string NextPath(string kind) => Path.Combine(Directory, $"{kind}-{Interlocked.Increment(ref _files)}.pem");
}

/// <summary>A certificate and its private key as PEM files, and its serial number (big-endian).</summary>
public sealed record IssuedCertificate(string CertPath, string KeyPath, byte[] SerialNumber);
