using Vtorc.LocalCluster;
using Vtorc.Protocol.Etcd;

namespace Vtorc.Protocol.Tests.Etcd;

[NeedsExternalProcess]
public sealed class EtcdTlsTests
{
    [Fact]
    public async Task Mutual_tls_client_with_cert_key_and_ca_reads_and_writes()
    {
        using var ca = TestCertificateAuthority.Create();
        await using var etcd = await EtcdProcess.StartAsync(new EtcdProcessOptions { ClientTls = ca.Files });
        await using var client = MutualTlsClient(etcd, ca, trustedCaPath: ca.Files.CaPath);

        await client.PutAsync("/tls/k", "secure");

        Assert.Equal("secure", (await client.GetAsync("/tls/k"))?.Value.ToStringUtf8());
        Assert.StartsWith("https://", client.CurrentEndpoint);
    }

    [Fact]
    public async Task Without_a_client_certificate_a_tls_etcd_cannot_be_used()
    {
        using var ca = TestCertificateAuthority.Create();
        await using var etcd = await EtcdProcess.StartAsync(new EtcdProcessOptions { ClientTls = ca.Files });
        // A CA alone does not turn TLS on (Vitess rule), so this client speaks plaintext to a TLS port.
        await using var client = new EtcdClient(new EtcdClientOptions
        {
            Endpoints = [etcd.Endpoint],
            TlsCaPath = ca.Files.CaPath,
            DefaultCallTimeout = TimeSpan.FromSeconds(3),
        });

        var error = await Assert.ThrowsAsync<EtcdException>(() => client.GetAsync("/tls/k"));

        Assert.Contains("/tls/k", error.Message);
    }

    [Fact]
    public async Task A_server_certificate_not_signed_by_the_configured_ca_is_refused()
    {
        using var ca = TestCertificateAuthority.Create();
        using var otherCa = TestCertificateAuthority.Create();
        await using var etcd = await EtcdProcess.StartAsync(new EtcdProcessOptions { ClientTls = ca.Files });
        await using var client = MutualTlsClient(etcd, ca, trustedCaPath: otherCa.Files.CaPath);

        var error = await Assert.ThrowsAsync<EtcdException>(() => client.GetAsync("/tls/k"));

        Assert.Equal(EtcdErrorKind.Unavailable, error.Kind);
        Assert.Contains("/tls/k", error.Message);
        Assert.Contains($"127.0.0.1:{etcd.ClientPort}", error.Message);
        Assert.Contains("not signed by the configured CA", error.Message);
    }

    /// <summary>A client with the client certificate of <paramref name="ca"/>, trusting the CA at <paramref name="trustedCaPath"/>.</summary>
    private static EtcdClient MutualTlsClient(EtcdProcess etcd, TestCertificateAuthority ca, string trustedCaPath) => new(new EtcdClientOptions
    {
        Endpoints = [etcd.Endpoint],
        TlsCertPath = ca.Files.ClientCertPath,
        TlsKeyPath = ca.Files.ClientKeyPath,
        TlsCaPath = trustedCaPath,
        DefaultCallTimeout = TimeSpan.FromSeconds(5),
    });
}
