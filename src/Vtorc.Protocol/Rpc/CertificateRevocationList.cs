using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Vtorc.Protocol.Rpc;

/// <summary>
/// One X.509 certificate revocation list (RFC 5280 §5): who issued it and which serial numbers it revokes. A list only
/// applies to a certificate when its issuer's name matches and its signature verifies with that issuer's key, as
/// go/vt/vttls/crl.go binds a CRL to the certificate that signed it; an expired list (past nextUpdate) still applies.
/// </summary>
public sealed class CertificateRevocationList
{
    private readonly HashSet<BigInteger> _revoked;
    private readonly byte[] _signedPart;
    private readonly byte[] _signature;
    private readonly string _signatureAlgorithm;

    private CertificateRevocationList(string source, X500DistinguishedName issuer, HashSet<BigInteger> revoked, byte[] signedPart,
        string signatureAlgorithm, byte[] signature)
    {
        Source = source;
        Issuer = issuer;
        _revoked = revoked;
        _signedPart = signedPart;
        _signatureAlgorithm = signatureAlgorithm;
        _signature = signature;
    }

    /// <summary>Where the list was read from (for error texts).</summary>
    public string Source { get; }

    public X500DistinguishedName Issuer { get; }

    public int RevokedCount => _revoked.Count;

    /// <summary>The lists of a file: every PEM "X509 CRL" block, or the whole content as one DER list.</summary>
    public static IReadOnlyList<CertificateRevocationList> ParseAll(ReadOnlySpan<byte> content, string source)
    {
        var text = Encoding.ASCII.GetString(content);
        var lists = new List<CertificateRevocationList>();
        var rest = text.AsSpan();
        while (PemEncoding.TryFind(rest, out var fields))
        {
            if (rest[fields.Label].SequenceEqual("X509 CRL"))
            {
                lists.Add(Parse(Convert.FromBase64String(rest[fields.Base64Data].ToString()), source));
            }
            rest = rest[fields.Location.End..];
        }
        if (lists.Count == 0)
        {
            if (text.Contains("-----BEGIN", StringComparison.Ordinal))
            {
                throw new FormatException("it holds no PEM block labelled \"X509 CRL\"");
            }
            lists.Add(Parse(content.ToArray(), source));
        }
        return lists;
    }

    /// <summary>One DER-encoded CertificateList.</summary>
    public static CertificateRevocationList Parse(byte[] der, string source)
    {
        ArgumentNullException.ThrowIfNull(der);
        try
        {
            var outer = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
            var signedPart = outer.ReadEncodedValue().ToArray();
            var algorithm = outer.ReadSequence().ReadObjectIdentifier();
            var signature = outer.ReadBitString(out _);

            var tbs = new AsnReader(signedPart, AsnEncodingRules.DER).ReadSequence();
            if (tbs.PeekTag().HasSameClassAndValue(Asn1Tag.Integer))
            {
                tbs.ReadInteger();
            }
            tbs.ReadSequence(); // signature algorithm, repeated inside the signed part
            var issuer = new X500DistinguishedName(tbs.ReadEncodedValue().Span);
            tbs.ReadEncodedValue(); // thisUpdate
            var revoked = new HashSet<BigInteger>();
            if (tbs.HasData && IsTime(tbs.PeekTag()))
            {
                tbs.ReadEncodedValue(); // nextUpdate
            }
            if (tbs.HasData && tbs.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
            {
                var entries = tbs.ReadSequence();
                while (entries.HasData)
                {
                    var entry = entries.ReadSequence();
                    revoked.Add(entry.ReadInteger());
                }
            }
            return new CertificateRevocationList(source, issuer, revoked, signedPart, algorithm, signature);
        }
        catch (AsnContentException e)
        {
            throw new FormatException($"not a DER-encoded X.509 CRL: {e.Message}", e);
        }
    }

    /// <summary>Whether this list was signed by <paramref name="issuer"/> (name and signature) and lists <paramref name="certificate"/>.</summary>
    public bool Revokes(X509Certificate2 certificate, X509Certificate2 issuer)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(issuer);
        return _revoked.Contains(new BigInteger(certificate.SerialNumberBytes.Span, isUnsigned: true, isBigEndian: true))
            && SameName(Issuer, certificate.IssuerName)
            && SameName(Issuer, issuer.SubjectName)
            && IsSignedBy(issuer);
    }

    /// <summary>Whether the list's signature verifies with the public key of <paramref name="issuer"/>.</summary>
    public bool IsSignedBy(X509Certificate2 issuer)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        var (hash, ecdsa) = _signatureAlgorithm switch
        {
            "1.2.840.113549.1.1.5" => (HashAlgorithmName.SHA1, false),
            "1.2.840.113549.1.1.11" => (HashAlgorithmName.SHA256, false),
            "1.2.840.113549.1.1.12" => (HashAlgorithmName.SHA384, false),
            "1.2.840.113549.1.1.13" => (HashAlgorithmName.SHA512, false),
            "1.2.840.10045.4.3.2" => (HashAlgorithmName.SHA256, true),
            "1.2.840.10045.4.3.3" => (HashAlgorithmName.SHA384, true),
            "1.2.840.10045.4.3.4" => (HashAlgorithmName.SHA512, true),
            _ => (default(HashAlgorithmName), false),
        };
        if (hash == default)
        {
            return false;
        }
        if (ecdsa)
        {
            using var key = issuer.GetECDsaPublicKey();
            return key is not null && key.VerifyData(_signedPart, _signature, hash, DSASignatureFormat.Rfc3279DerSequence);
        }
        using var rsa = issuer.GetRSAPublicKey();
        return rsa is not null && rsa.VerifyData(_signedPart, _signature, hash, RSASignaturePadding.Pkcs1);
    }

    private static bool IsTime(Asn1Tag tag) =>
        tag.HasSameClassAndValue(Asn1Tag.UtcTime) || tag.HasSameClassAndValue(Asn1Tag.GeneralizedTime);

    /// <summary>Names may be encoded differently by the CA tool and the CRL tool; the signature is what binds, not the bytes of the name.</summary>
    private static bool SameName(X500DistinguishedName a, X500DistinguishedName b) =>
        a.RawData.AsSpan().SequenceEqual(b.RawData)
        || string.Equals(a.Format(false), b.Format(false), StringComparison.OrdinalIgnoreCase);
}
