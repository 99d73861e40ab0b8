using Grpc.Core;
using Vtorc.Protocol.Rpc;
using Vtorc.Reparent.TabletManager;

namespace Vtorc.Reparent.Tests.TabletManager;

/// <summary>
/// TLS (own CA, server-name override, client certificates) and the 16 MiB message limits of tablet calls, against a
/// real grpc-dotnet server.
/// </summary>
public sealed class TabletTlsAndMessageSizeTests
{
    private const int MiB = 1024 * 1024;
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    private static GrpcTabletManagerClient TlsClient(TestPki pki, string? serverName = null, bool clientCertificate = false) =>
        new(new TabletManagerClientOptions
        {
            UseTls = true,
            ChannelOptions = new RpcChannelOptions
            {
                TrustedCertificateAuthorities = pki.TrustedAuthorities,
                ServerNameOverride = serverName,
                ClientCertificate = clientCertificate ? TestPki.LoadWithKey(pki.IssueClient()) : null,
            },
        });

    [Fact]
    public async Task A_TLS_call_succeeds_when_the_client_trusts_the_tablets_CA()
    {
        using var pki = new TestPki();
        using var serverCertificate = TestPki.LoadWithKey(pki.IssueServer());
        await using var tablet = await LoopbackTabletManager.StartAsync(new RpcServerOptions { Certificate = serverCertificate });
        using var client = TlsClient(pki);

        Assert.Equal("tls", await client.PingAsync(tablet.Tablet(), "tls", CancellationToken.None, Generous));
    }

    [Fact]
    public async Task The_server_name_override_is_what_the_certificate_is_checked_against()
    {
        using var pki = new TestPki();
        using var serverCertificate = TestPki.LoadWithKey(pki.IssueServer());
        await using var tablet = await LoopbackTabletManager.StartAsync(new RpcServerOptions { Certificate = serverCertificate });
        using var good = TlsClient(pki, serverName: "localhost");
        using var bad = TlsClient(pki, serverName: "other.example");

        Assert.Equal("sni", await good.PingAsync(tablet.Tablet(), "sni", CancellationToken.None, Generous));
        var e = await Assert.ThrowsAsync<RpcException>(() => bad.PingAsync(tablet.Tablet(), "sni", CancellationToken.None, Generous));
        Assert.Equal(StatusCode.Unavailable, e.StatusCode);
    }

    [Fact]
    public async Task A_TLS_call_fails_UNAVAILABLE_when_the_CA_is_not_trusted()
    {
        using var pki = new TestPki();
        using var serverCertificate = TestPki.LoadWithKey(pki.IssueServer());
        await using var tablet = await LoopbackTabletManager.StartAsync(new RpcServerOptions { Certificate = serverCertificate });
        using var client = new GrpcTabletManagerClient(new TabletManagerClientOptions { UseTls = true });

        var e = await Assert.ThrowsAsync<RpcException>(() => client.PingAsync(tablet.Tablet(), "x", CancellationToken.None, Generous));

        Assert.Equal(StatusCode.Unavailable, e.StatusCode);
    }

    [Fact]
    public async Task Mutual_TLS_admits_a_client_certificate_from_the_trusted_CA_and_refuses_a_client_without_one()
    {
        using var pki = new TestPki();
        using var serverCertificate = TestPki.LoadWithKey(pki.IssueServer());
        await using var tablet = await LoopbackTabletManager.StartAsync(new RpcServerOptions
        {
            Certificate = serverCertificate,
            RequireClientCertificate = true,
            ClientCertificateAuthorities = pki.TrustedAuthorities,
        });
        using var withCertificate = TlsClient(pki, clientCertificate: true);
        using var without = TlsClient(pki);

        Assert.Equal("mtls", await withCertificate.PingAsync(tablet.Tablet(), "mtls", CancellationToken.None, Generous));
        var e = await Assert.ThrowsAsync<RpcException>(() => without.PingAsync(tablet.Tablet(), "x", CancellationToken.None, Generous));
        Assert.Equal(StatusCode.Unavailable, e.StatusCode);
    }

    [Fact]
    public async Task An_8_MiB_message_round_trips()
    {
        await using var tablet = await LoopbackTabletManager.StartAsync();
        using var client = new GrpcTabletManagerClient();
        var payload = new string('p', 8 * MiB);

        Assert.Equal(payload, await client.PingAsync(tablet.Tablet(), payload, CancellationToken.None, Generous));
    }

    [Fact]
    public async Task A_17_MiB_request_is_refused_locally_by_the_default_16_MiB_send_limit()
    {
        await using var tablet = await LoopbackTabletManager.StartAsync();
        using var client = new GrpcTabletManagerClient();

        var e = await Assert.ThrowsAsync<RpcException>(() => client.PingAsync(tablet.Tablet(), new string('p', 17 * MiB), CancellationToken.None, Generous));

        Assert.Equal(StatusCode.ResourceExhausted, e.StatusCode);
        Assert.Contains("tablet zone1-0000000101", e.Status.Detail);
        Assert.True(tablet.RequestHeaders.IsEmpty);
    }

    [Fact]
    public async Task A_17_MiB_request_is_refused_by_the_servers_default_16_MiB_receive_limit()
    {
        await using var tablet = await LoopbackTabletManager.StartAsync();
        using var client = new GrpcTabletManagerClient(new TabletManagerClientOptions { ChannelOptions = new RpcChannelOptions { MaxSendMessageSize = 32 * MiB } });

        var e = await Assert.ThrowsAsync<RpcException>(() => client.PingAsync(tablet.Tablet(), new string('p', 17 * MiB), CancellationToken.None, Generous));

        Assert.Equal(StatusCode.ResourceExhausted, e.StatusCode);
    }

    [Fact]
    public async Task A_17_MiB_response_is_refused_by_the_clients_default_limit_and_admitted_when_configured()
    {
        await using var tablet = await LoopbackTabletManager.StartAsync(new RpcServerOptions { MaxSendMessageSize = 32 * MiB });
        using var byDefault = new GrpcTabletManagerClient();
        using var raised = new GrpcTabletManagerClient(new TabletManagerClientOptions { ChannelOptions = new RpcChannelOptions { MaxReceiveMessageSize = 32 * MiB } });
        var request = "reply:" + (17 * MiB).ToString(System.Globalization.CultureInfo.InvariantCulture);

        var e = await Assert.ThrowsAsync<RpcException>(() => byDefault.PingAsync(tablet.Tablet(), request, CancellationToken.None, Generous));
        Assert.Equal(StatusCode.ResourceExhausted, e.StatusCode);
        Assert.Equal(17 * MiB, (await raised.PingAsync(tablet.Tablet(), request, CancellationToken.None, Generous)).Length);
    }

    [Fact]
    public async Task A_response_above_the_servers_send_limit_fails_RESOURCE_EXHAUSTED()
    {
        await using var tablet = await LoopbackTabletManager.StartAsync(new RpcServerOptions { MaxSendMessageSize = MiB });
        using var client = new GrpcTabletManagerClient();

        var e = await Assert.ThrowsAsync<RpcException>(() => client.PingAsync(tablet.Tablet(), "reply:" + (2 * MiB).ToString(System.Globalization.CultureInfo.InvariantCulture),
            CancellationToken.None, Generous));

        Assert.Equal(StatusCode.ResourceExhausted, e.StatusCode);
    }
}
