using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Vtorc.Protocol.Rpc;

namespace Vtorc.Protocol.Tests;

/// <summary>Unit tests of the static auth password file (go/vt/servenv/grpc_server_auth_static.go's format) and of revocation lists.</summary>
public sealed class StaticAuthAndRevocationTests
{
    private static Metadata Headers(string? user, string? password)
    {
        var headers = new Metadata();
        if (user is not null)
        {
            headers.Add("username", user);
        }
        if (password is not null)
        {
            headers.Add("password", password);
        }
        return headers;
    }

    [Fact]
    public void Plain_and_caching_sha2_passwords_are_admitted_and_others_refused_with_Vitess_codes()
    {
        var hash = Convert.ToHexString(SHA256.HashData(SHA256.HashData("hashed-pw"u8)));
        var users = StaticAuthUsers.Parse($$"""[{"Username": "a", "Password": "pw"}, {"username": "b", "CachingSha2Password": "*{{hash}}"}]""", "test");

        Assert.Null(users.Check(Headers("a", "pw")));
        Assert.Null(users.Check(Headers("b", "hashed-pw")));
        Assert.Equal(StatusCode.PermissionDenied, users.Check(Headers("a", "nope"))!.Value.StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, users.Check(Headers("c", "pw"))!.Value.StatusCode);
        Assert.Equal(StatusCode.Unauthenticated, users.Check(Headers("a", null))!.Value.StatusCode);
        Assert.Equal("username and password must be provided", users.Check(Headers(null, null))!.Value.Detail);
    }

    [Fact]
    public void A_password_file_that_is_not_a_JSON_array_or_has_a_bad_hash_is_refused_naming_the_entry()
    {
        Assert.Contains("not a JSON array", Assert.Throws<ArgumentException>(() => StaticAuthUsers.Parse("""{"Username": "a"}""", "f")).Message);
        Assert.Contains("user a", Assert.Throws<ArgumentException>(() => StaticAuthUsers.Parse("""[{"Username": "a", "CachingSha2Password": "zz"}]""", "f")).Message);
    }

    [Fact]
    public void An_unreadable_auth_file_is_refused_naming_the_setting_and_the_file()
    {
        var missing = Path.Combine(Path.GetTempPath(), "vtorc-missing-" + Guid.NewGuid().ToString("N"), "auth.json");

        var users = Assert.Throws<ArgumentException>(() => StaticAuthUsers.Load(missing, "--grpc-auth-static-password-file"));
        var credentials = Assert.Throws<ArgumentException>(() => StaticAuthClientCredentials.Load(missing, "--grpc-auth-static-client-creds"));

        Assert.StartsWith($"--grpc-auth-static-password-file: password file \"{missing}\" could not be read: ", users.Message);
        Assert.StartsWith($"--grpc-auth-static-client-creds: credentials file \"{missing}\" could not be read: ", credentials.Message);
    }

    [Fact]
    public void A_revocation_list_applies_only_to_certificates_of_the_CA_that_signed_it()
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var ca = SelfSigned("CN=ca", caKey);
        using var impostor = SelfSigned("CN=ca", otherKey);
        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var now = DateTimeOffset.UtcNow;
        using var revoked = new CertificateRequest("CN=leaf", leafKey, HashAlgorithmName.SHA256).Create(ca, now.AddDays(-1), now.AddDays(1), [0x11, 0x22]);
        using var kept = new CertificateRequest("CN=leaf", leafKey, HashAlgorithmName.SHA256).Create(ca, now.AddDays(-1), now.AddDays(1), [0x33]);
        var builder = new CertificateRevocationListBuilder();
        builder.AddEntry(revoked.SerialNumberBytes.Span, now.AddMinutes(-1));
        var pem = PemEncoding.WriteString("X509 CRL", builder.Build(ca, BigInteger.One, now.AddDays(1), HashAlgorithmName.SHA256));

        var list = Assert.Single(CertificateRevocationList.ParseAll(System.Text.Encoding.ASCII.GetBytes(pem), "test.crl"));

        Assert.Equal(1, list.RevokedCount);
        Assert.True(list.Revokes(revoked, ca));
        Assert.False(list.Revokes(kept, ca));
        Assert.False(list.Revokes(revoked, impostor));
    }

    private static X509Certificate2 SelfSigned(string subject, ECDsa key)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-2), DateTimeOffset.UtcNow.AddDays(2));
    }
}
