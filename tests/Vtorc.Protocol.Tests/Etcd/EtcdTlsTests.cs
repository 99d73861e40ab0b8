using Vtorc.LocalCluster;
using Vtorc.Protocol.Etcd;

namespace Vtorc.Protocol.Tests.Etcd;

public sealed class EtcdTlsTests
{
    [Fact]
    public async Task Mutual_tls_client_with_cert_key_and_ca_reads_and_writes()
    {
        using var pki = new TestPki();
        var tls = pki.IssueEtcdTlsFiles();
        await using var etcd = await EtcdProcess.StartAsync(new EtcdProcessOptions { ClientTls = tls });
        await using var client = MutualTlsClient(etcd, tls, trustedCaPath: tls.CaPath);

        await client.PutAsync("/tls/k", "secure");

        Assert.Equal("secure", (await client.GetAsync("/tls/k"))?.Value.ToStringUtf8());
        Assert.StartsWith("https://", client.CurrentEndpoint);
    }

    [Fact]
    public async Task Without_a_client_certificate_a_tls_etcd_cannot_be_used()
    {
        using var pki = new TestPki();
        var tls = pki.IssueEtcdTlsFiles();
        await using var etcd = await EtcdProcess.StartAsync(new EtcdProcessOptions { ClientTls = tls });
        // A CA alone does not turn TLS on (Vitess rule), so this client speaks plaintext to a TLS port.
        await using var client = new EtcdClient(new EtcdClientOptions
        {
            Endpoints = [etcd.Endpoint],
            TlsCaPath = tls.CaPath,
            DefaultCallTimeout = TimeSpan.FromSeconds(3),
        });

        var error = await Assert.ThrowsAsync<EtcdException>(() => client.GetAsync("/tls/k"));

        Assert.Contains("/tls/k", error.Message);
    }

    [Fact]
    public async Task A_server_certificate_not_signed_by_the_configured_ca_is_refused()
    {
        using var pki = new TestPki();
        var tls = pki.IssueEtcdTlsFiles();
        using var otherPki = new TestPki("another CA");
        await using var etcd = await EtcdProcess.StartAsync(new EtcdProcessOptions { ClientTls = tls });
        await using var client = MutualTlsClient(etcd, tls, trustedCaPath: otherPki.CaPath);

        var error = await Assert.ThrowsAsync<EtcdException>(() => client.GetAsync("/tls/k"));

        Assert.Equal(EtcdErrorKind.Unavailable, error.Kind);
        Assert.Contains("/tls/k", error.Message);
        Assert.Contains($"127.0.0.1:{etcd.ClientPort}", error.Message);
        Assert.Contains("not signed by the configured CA", error.Message);
    }

    /// <summary>A client with the client certificate of <paramref name="tls"/>, trusting the CA at <paramref name="trustedCaPath"/>.</summary>
    private static EtcdClient MutualTlsClient(EtcdProcess etcd, EtcdTlsFiles tls, string trustedCaPath) => new(new EtcdClientOptions
    {
        Endpoints = [etcd.Endpoint],
        TlsCertPath = tls.ClientCertPath,
        TlsKeyPath = tls.ClientKeyPath,
        TlsCaPath = trustedCaPath,
        DefaultCallTimeout = TimeSpan.FromSeconds(5),
    });
}
