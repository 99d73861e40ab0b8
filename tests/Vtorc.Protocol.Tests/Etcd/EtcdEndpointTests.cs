using Vtorc.Protocol.Etcd;

namespace Vtorc.Protocol.Tests.Etcd;

public sealed class EtcdEndpointTests
{
    [Theory]
    [InlineData("127.0.0.1:2379", false, "http://127.0.0.1:2379")]
    [InlineData("localhost:2379", true, "https://localhost:2379")]
    [InlineData("http://etcd-1:2379", true, "http://etcd-1:2379")]
    [InlineData("https://etcd-1:2379/", false, "https://etcd-1:2379")]
    [InlineData(" [::1]:2379 ", false, "http://[::1]:2379")]
    public void Parse_accepts_the_forms_the_go_client_accepts(string input, bool tls, string expected)
    {
        Assert.Equal(expected, EtcdEndpoint.Parse(input, tls).ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("localhost")]
    [InlineData("unix://socket:1")]
    [InlineData("http://host:2379/v3")]
    public void Parse_rejects_bad_endpoints_quoting_them(string input)
    {
        var error = Assert.Throws<ArgumentException>(() => EtcdEndpoint.Parse(input, useTls: false));
        Assert.Contains("etcd endpoint", error.Message);
        if (input.Length > 0)
        {
            Assert.Contains($"\"{input}\"", error.Message);
        }
    }

    [Fact]
    public void Address_list_splits_on_commas()
    {
        var options = EtcdClientOptions.FromAddressList("a:1, b:2,,c:3");
        Assert.Equal(["a:1", "b:2", "c:3"], options.Endpoints);
    }

    [Fact]
    public void Tls_is_on_only_with_both_cert_and_key()
    {
        var caOnly = new EtcdClientOptions { Endpoints = ["a:1"], TlsCaPath = "/ca.pem" };
        var certOnly = caOnly with { TlsCertPath = "/c.pem" };
        var both = certOnly with { TlsKeyPath = "/k.pem" };

        Assert.False(caOnly.UsesTls);
        Assert.False(certOnly.UsesTls);
        Assert.True(both.UsesTls);
    }
}
