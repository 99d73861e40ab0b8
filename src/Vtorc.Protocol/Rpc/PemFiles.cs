using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Vtorc.Protocol.Rpc;

/// <summary>
/// Reads the PEM files that TLS flags name (a certificate with its key, a CA bundle, a revocation list). A file that
/// cannot be used fails with an <see cref="ArgumentException"/> naming the setting (<paramref name="setting"/>, e.g. the
/// flag) and the path, so a misconfiguration is reported at start-up instead of as a failed handshake later.
/// </summary>
public static class PemFiles
{
    /// <summary>A certificate chain file (leaf first) and its private key, ready for SslStream.</summary>
    public static X509Certificate2 LoadCertificateWithKey(string certificatePath, string keyPath, string setting)
    {
        ArgumentException.ThrowIfNullOrEmpty(certificatePath);
        ArgumentException.ThrowIfNullOrEmpty(keyPath);
        try
        {
            using var loaded = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
            // An ephemeral key cannot be used by every TLS backend; a PKCS#12 round trip gives a persisted one.
            return X509CertificateLoader.LoadPkcs12(loaded.Export(X509ContentType.Pkcs12), null);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"{setting}: certificate \"{certificatePath}\" with key \"{keyPath}\" could not be loaded: {e.Message}", e);
        }
    }

    /// <summary>Every certificate of a PEM bundle (at least one).</summary>
    public static X509Certificate2Collection LoadCertificates(string path, string setting)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var collection = new X509Certificate2Collection();
        try
        {
            collection.ImportFromPemFile(path);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"{setting}: CA file \"{path}\" could not be loaded: {e.Message}", e);
        }
        if (collection.Count == 0)
        {
            throw new ArgumentException($"{setting}: CA file \"{path}\" holds no certificate");
        }
        return collection;
    }

    /// <summary>Every revocation list of a file (PEM "X509 CRL" blocks, or one DER list).</summary>
    public static IReadOnlyList<CertificateRevocationList> LoadRevocationLists(string path, string setting)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] content;
        try
        {
            content = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"{setting}: revocation list \"{path}\" could not be read: {e.Message}", e);
        }
        try
        {
            return CertificateRevocationList.ParseAll(content, path);
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            throw new ArgumentException($"{setting}: revocation list \"{path}\" could not be parsed: {e.Message}", e);
        }
    }
}
