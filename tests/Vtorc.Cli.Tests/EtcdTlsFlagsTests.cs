using Vtorc.LocalCluster;

namespace Vtorc.Cli.Tests;

/// <summary>
/// `--topo-etcd-tls-cert/-key/-ca` against a real etcd that requires client certificates (etcd's --client-cert-auth),
/// with certificates made inside the test.
/// </summary>
public sealed class EtcdTlsFlagsTests : IDisposable
{
    private readonly TestPki _pki = new();
    private readonly TestPki _otherPki = new("another CA");

    public void Dispose()
    {
        _pki.Dispose();
        _otherPki.Dispose();
    }

    [Fact]
    public async Task Ctl_reaches_a_TLS_etcd_with_the_flags_and_a_wrong_CA_fails_naming_the_endpoint()
    {
        var tls = _pki.IssueEtcdTlsFiles();
        await using var etcd = await EtcdProcess.StartAsync(new EtcdProcessOptions { ClientTls = tls });
        string[] common = ["--topo-global-server-address", etcd.Endpoint, "--topo-global-root", "/tls/global", "--remote-operation-timeout", "10s",
            "--topo-etcd-tls-cert", tls.ClientCertPath, "--topo-etcd-tls-key", tls.ClientKeyPath];

        var added = await CtlRunner.RunRawAsync(["ctl", "AddCellInfo", "zone1", "--server-address", etcd.Endpoint, "--root", "/tls/zone1", .. common,
            "--topo-etcd-tls-ca", _pki.CaPath]);
        var listed = await CtlRunner.RunRawAsync(["ctl", "GetCellInfoNames", .. common, "--topo-etcd-tls-ca", _pki.CaPath]);
        var refused = await CtlRunner.RunRawAsync(["ctl", "GetCellInfoNames", .. common, "--topo-etcd-tls-ca", _otherPki.CaPath]);

        Assert.True(added.ExitCode == 0, added.Error);
        Assert.Equal("zone1", listed.Output.Trim());
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains($"127.0.0.1:{etcd.ClientPort}", refused.Error);
        Assert.Contains("not signed by the configured CA", refused.Error);
    }
}
