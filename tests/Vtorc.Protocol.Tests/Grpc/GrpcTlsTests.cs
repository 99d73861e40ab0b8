using Vtorc.Protocol.Grpc;
using Vtorc.Protocol.Tests.GrpcTest;

namespace Vtorc.Protocol.Tests.Grpc;

public sealed class GrpcTlsTests
{
    private static CallOptions Deadline => new(TimeSpan.FromSeconds(30));

    [Fact]
    public async Task Https_call_succeeds_when_the_client_trusts_the_servers_CA()
    {
        using var certificates = new TestCertificates();
        await using var server = await LoopbackGrpcServer.StartAsync(new GrpcServerOptions { Certificate = certificates.Server });
        using var channel = GrpcChannel.Create(
            "https://127.0.0.1:" + server.Server.Port,
            new GrpcChannelOptions { TrustedCertificateAuthorities = certificates.TrustedAuthorities });

        var reply = await channel.UnaryAsync<EchoRequest, EchoReply>(TestMethods.Echo, new EchoRequest { Text = "tls" }, Deadline);

        Assert.Equal("tls", reply.Text);
    }

    [Fact]
    public async Task Server_name_override_is_used_to_check_the_certificate()
    {
        using var certificates = new TestCertificates();
        await using var server = await LoopbackGrpcServer.StartAsync(new GrpcServerOptions { Certificate = certificates.Server });
        using var good = GrpcChannel.Create(
            "https://127.0.0.1:" + server.Server.Port,
            new GrpcChannelOptions { TrustedCertificateAuthorities = certificates.TrustedAuthorities, ServerNameOverride = "localhost" });
        using var bad = GrpcChannel.Create(
            "https://127.0.0.1:" + server.Server.Port,
            new GrpcChannelOptions { TrustedCertificateAuthorities = certificates.TrustedAuthorities, ServerNameOverride = "other.example" });

        var reply = await good.UnaryAsync<EchoRequest, EchoReply>(TestMethods.Echo, new EchoRequest { Text = "sni" }, Deadline);
        var e = await Assert.ThrowsAsync<RpcException>(() => bad.UnaryAsync<EchoRequest, EchoReply>(TestMethods.Echo, new EchoRequest(), Deadline));

        Assert.Equal("sni", reply.Text);
        Assert.Equal(StatusCode.Unavailable, e.Status);
    }

    [Fact]
    public async Task Https_call_fails_UNAVAILABLE_when_the_CA_is_not_trusted()
    {
        using var certificates = new TestCertificates();
        await using var server = await LoopbackGrpcServer.StartAsync(new GrpcServerOptions { Certificate = certificates.Server });
        using var channel = GrpcChannel.Create("https://127.0.0.1:" + server.Server.Port);

        var e = await Assert.ThrowsAsync<RpcException>(
            () => channel.UnaryAsync<EchoRequest, EchoReply>(TestMethods.Echo, new EchoRequest(), Deadline));

        Assert.Equal(StatusCode.Unavailable, e.Status);
    }

    [Fact]
    public async Task Mutual_TLS_call_succeeds_with_a_client_certificate_from_the_trusted_CA()
    {
        using var certificates = new TestCertificates();
        await using var server = await LoopbackGrpcServer.StartAsync(new GrpcServerOptions
        {
            Certificate = certificates.Server,
            RequireClientCertificate = true,
            ClientCertificateAuthorities = certificates.TrustedAuthorities,
        });
        using var channel = GrpcChannel.Create(
            "https://127.0.0.1:" + server.Server.Port,
            new GrpcChannelOptions { TrustedCertificateAuthorities = certificates.TrustedAuthorities, ClientCertificate = certificates.Client });

        var reply = await channel.UnaryAsync<EchoRequest, EchoReply>(TestMethods.Echo, new EchoRequest { Text = "mtls" }, Deadline);

        Assert.Equal("mtls", reply.Text);
    }

    [Fact]
    public async Task Mutual_TLS_server_refuses_a_client_without_certificate()
    {
        using var certificates = new TestCertificates();
        await using var server = await LoopbackGrpcServer.StartAsync(new GrpcServerOptions
        {
            Certificate = certificates.Server,
            RequireClientCertificate = true,
            ClientCertificateAuthorities = certificates.TrustedAuthorities,
        });
        using var channel = GrpcChannel.Create(
            "https://127.0.0.1:" + server.Server.Port,
            new GrpcChannelOptions { TrustedCertificateAuthorities = certificates.TrustedAuthorities });

        var e = await Assert.ThrowsAsync<RpcException>(
            () => channel.UnaryAsync<EchoRequest, EchoReply>(TestMethods.Echo, new EchoRequest(), Deadline));

        Assert.Equal(StatusCode.Unavailable, e.Status);
    }
}
