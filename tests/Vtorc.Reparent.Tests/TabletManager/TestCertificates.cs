using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Vtorc.Reparent.Tests.TabletManager;

/// <summary>A throw-away CA and certificates it signed, made in memory for TLS tests.</summary>
public sealed class TestCertificates : IDisposable
{
    public TestCertificates()
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=vtorc test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        var now = DateTimeOffset.UtcNow;
        Authority = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
        Server = Issue("CN=localhost", serverAuth: true, now);
        Client = Issue("CN=vtorc test client", serverAuth: false, now);
    }

    /// <summary>The CA, with its private key.</summary>
    public X509Certificate2 Authority { get; }

    /// <summary>For localhost and 127.0.0.1, with private key.</summary>
    public X509Certificate2 Server { get; }

    /// <summary>A client-authentication certificate, with private key.</summary>
    public X509Certificate2 Client { get; }

    /// <summary>The CA's public certificate only, as a client or server would be configured to trust it.</summary>
    public X509Certificate2Collection TrustedAuthorities => [X509CertificateLoader.LoadCertificate(Authority.RawData)];

    private X509Certificate2 Issue(string subject, bool serverAuth, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid(serverAuth ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2")], false));
        if (serverAuth)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddDnsName("localhost");
            names.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(names.Build());
        }
        var serial = new byte[8];
        RandomNumberGenerator.Fill(serial);
        using var issued = request.Create(Authority, now.AddHours(-1), now.AddDays(7), serial);
        using var withKey = issued.CopyWithPrivateKey(key);
        // Reload through PKCS#12 so SslStream gets a certificate whose key it can use on every platform.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    public void Dispose()
    {
        Authority.Dispose();
        Server.Dispose();
        Client.Dispose();
    }
}
