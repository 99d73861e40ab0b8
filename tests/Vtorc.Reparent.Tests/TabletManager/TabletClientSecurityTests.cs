using Grpc.Core;
using Vtorc.Protocol.Rpc;
using Vtorc.Reparent.TabletManager;
using Vtorc.Testing;
using Xunit.Abstractions;

namespace Vtorc.Reparent.Tests.TabletManager;

/// <summary>
/// The tablet client configured from files as the --tablet-manager-grpc-* and --grpc-auth-static-client-creds flags
/// give them, against a real grpc-dotnet server configured as the agent's --grpc-* flags configure it. Every refusal
/// must name the tablet and say why.
/// </summary>
public sealed class TabletClientSecurityTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);
    private readonly TestPki _pki = new();

    public void Dispose() => _pki.Dispose();

    private RpcServerOptions MutualTlsServer(IssuedCertificate? server = null, StaticAuthUsers? users = null, string? crl = null)
    {
        server ??= _pki.IssueServer();
        return new RpcServerOptions
        {
            Certificate = PemFiles.LoadCertificateWithKey(server.CertPath, server.KeyPath, "test"),
            RequireClientCertificate = true,
            ClientCertificateAuthorities = PemFiles.LoadCertificates(_pki.CaPath, "test"),
            ClientCertificateRevocationLists = crl is null ? null : PemFiles.LoadRevocationLists(crl, "test"),
            StaticAuth = users,
        };
    }

    private static GrpcTabletManagerClient Client(TabletClientSecurity security) =>
        new(security.Apply(new TabletManagerClientOptions()));

    private TabletClientSecurity WithClientCertificate(IssuedCertificate? client = null, string? ca = null)
    {
        client ??= _pki.IssueClient();
        return new TabletClientSecurity { CertPath = client.CertPath, KeyPath = client.KeyPath, CaPath = ca ?? _pki.CaPath };
    }

    private async Task<RpcException> FailingPing(GrpcTabletManagerClient client, LoopbackTabletManager tablet)
    {
        var e = await Assert.ThrowsAsync<RpcException>(() => client.PingAsync(tablet.Tablet(), "x", CancellationToken.None, Generous));
        output.WriteLine($"{e.StatusCode}: {e.Status.Detail}");
        output.WriteLine(e.Status.DebugException?.ToString() ?? "");
        Assert.Contains("tablet zone1-0000000101 (127.0.0.1:", e.Status.Detail);
        return e;
    }

    [Fact]
    public async Task Mutual_TLS_from_PEM_files_reaches_a_tablet_that_requires_client_certificates()
    {
        await using var tablet = await LoopbackTabletManager.StartAsync(MutualTlsServer());
        using var client = Client(WithClientCertificate());

        Assert.Equal("mtls", await client.PingAsync(tablet.Tablet(), "mtls", CancellationToken.None, Generous));
    }

    [Fact]
    public async Task A_tablet_certificate_from_another_CA_fails_naming_the_tablet_and_the_CA_problem()
    {
        using var otherPki = new TestPki("another CA");
        await using var tablet = await LoopbackTabletManager.StartAsync(MutualTlsServer());
        using var client = Client(WithClientCertificate(ca: otherPki.CaPath));

        var e = await FailingPing(client, tablet);

        Assert.Equal(StatusCode.Unavailable, e.StatusCode);
        Assert.Contains("not signed by the configured CA", e.Status.Detail);
    }

    [Fact]
    public async Task An_expired_tablet_certificate_fails_naming_the_tablet_and_the_expiry()
    {
        await using var tablet = await LoopbackTabletManager.StartAsync(MutualTlsServer(server: _pki.IssueServer(expired: true)));
        using var client = Client(WithClientCertificate());

        var e = await FailingPing(client, tablet);

        Assert.Equal(StatusCode.Unavailable, e.StatusCode);
        Assert.Contains("expired", e.Status.Detail);
    }

    [Fact]
    public async Task A_tablet_certificate_on_the_revocation_list_is_refused()
    {
        var server = _pki.IssueServer();
        await using var tablet = await LoopbackTabletManager.StartAsync(MutualTlsServer(server: server));
        using var client = Client(WithClientCertificate() with { CrlPath = _pki.WriteRevocationList(server) });
        using var withUnrelatedList = Client(WithClientCertificate() with { CrlPath = _pki.WriteRevocationList(_pki.IssueServer()) });

        var e = await FailingPing(client, tablet);

        Assert.Equal(StatusCode.Unavailable, e.StatusCode);
        Assert.Contains("revoked", e.Status.Detail);
        Assert.Equal("ok", await withUnrelatedList.PingAsync(tablet.Tablet(), "ok", CancellationToken.None, Generous));
    }

    [Fact]
    public async Task A_tablet_that_requires_a_client_certificate_refuses_a_client_without_one_and_the_error_says_so()
    {
        await using var tablet = await LoopbackTabletManager.StartAsync(MutualTlsServer());
        using var client = Client(new TabletClientSecurity { CaPath = _pki.CaPath });

        var e = await FailingPing(client, tablet);

        Assert.Equal(StatusCode.Unavailable, e.StatusCode);
        Assert.Contains("client certificate", e.Status.Detail);
    }

    [Fact]
    public async Task An_expired_client_certificate_is_refused_by_the_tablet()
    {
        await using var tablet = await LoopbackTabletManager.StartAsync(MutualTlsServer());
        using var client = Client(WithClientCertificate(client: _pki.IssueClient(expired: true)));

        var e = await FailingPing(client, tablet);

        Assert.Equal(StatusCode.Unavailable, e.StatusCode);
        Assert.Contains("client certificate", e.Status.Detail);
    }

    [Fact]
    public async Task A_client_certificate_on_the_tablets_revocation_list_is_refused_and_others_admitted()
    {
        var revoked = _pki.IssueClient(subject: "CN=revoked client");
        await using var tablet = await LoopbackTabletManager.StartAsync(MutualTlsServer(crl: _pki.WriteRevocationList(revoked)));
        using var refusedClient = Client(WithClientCertificate(client: revoked));
        using var admittedClient = Client(WithClientCertificate());

        var e = await FailingPing(refusedClient, tablet);

        Assert.Equal(StatusCode.Unavailable, e.StatusCode);
        Assert.Contains("client certificate refused?", e.Status.Detail);
        Assert.Contains("CN=revoked client", e.Status.Detail);
        Assert.Equal("ok", await admittedClient.PingAsync(tablet.Tablet(), "ok", CancellationToken.None, Generous));
    }

    [Fact]
    public async Task Static_credentials_from_the_file_are_admitted_and_wrong_or_missing_ones_refused_with_Vitess_codes()
    {
        var users = StaticAuthUsers.Parse("""[{"Username": "vtorc", "Password": "s3cret"}]""", "test");
        await using var tablet = await LoopbackTabletManager.StartAsync(new RpcServerOptions { StaticAuth = users });
        var good = Path.Combine(_pki.Directory, "good.json");
        var bad = Path.Combine(_pki.Directory, "bad.json");
        File.WriteAllText(good, """{"Username": "vtorc", "Password": "s3cret"}""");
        File.WriteAllText(bad, """{"username": "vtorc", "password": "wrong"}""");
        using var admitted = Client(new TabletClientSecurity { StaticClientCredentialsPath = good });
        using var wrong = Client(new TabletClientSecurity { StaticClientCredentialsPath = bad });
        using var none = Client(new TabletClientSecurity());

        Assert.Equal("auth", await admitted.PingAsync(tablet.Tablet(), "auth", CancellationToken.None, Generous));
        var refused = await FailingPing(wrong, tablet);
        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        Assert.Contains("auth failure: caller \"vtorc\" provided invalid credentials", refused.Status.Detail);
        var missing = await FailingPing(none, tablet);
        Assert.Equal(StatusCode.Unauthenticated, missing.StatusCode);
        Assert.Contains("username and password must be provided", missing.Status.Detail);
    }

    [Fact]
    public void Unusable_files_fail_at_start_naming_the_flag_and_the_file()
    {
        var missing = Path.Combine(_pki.Directory, "missing.pem");
        var notJson = Path.Combine(_pki.Directory, "creds.json");
        File.WriteAllText(notJson, "Username: x");

        var ca = Assert.Throws<ArgumentException>(() => new TabletClientSecurity { CaPath = missing }.Apply(new()));
        var creds = Assert.Throws<ArgumentException>(() => new TabletClientSecurity { StaticClientCredentialsPath = notJson }.Apply(new()));
        var keyless = Assert.Throws<ArgumentException>(() => new TabletClientSecurity { CertPath = _pki.CaPath }.Apply(new()));

        Assert.Contains("--tablet-manager-grpc-ca", ca.Message);
        Assert.Contains(missing, ca.Message);
        Assert.Contains("--grpc-auth-static-client-creds", creds.Message);
        Assert.Contains(notJson, creds.Message);
        Assert.Contains("--tablet-manager-grpc-key", keyless.Message);
    }
}
