using System.Globalization;
using System.Net;
using System.Net.Security;
using Grpc.Core;
using Topodata;
using Vtorc.Agent;
using Vtorc.Agent.MySql;
using Vtorc.LocalCluster;
using Vtorc.Reparent.TabletManager;
using Vtorc.Topo;
using Xunit.Abstractions;

namespace Vtorc.Cli.Tests;

/// <summary>
/// A real agent (and MariaDB) serving mutual TLS with static auth, as `vtorc tablet --grpc-cert … --grpc-ca …
/// --grpc-auth-mode static` configures it, reached by our tablet client and watched by the `vtorc` daemon.
/// Certificates are made inside the test.
/// </summary>
[Collection(EtcdCollection.Name)]
[NeedsExternalProcess]
public sealed class TlsLiveTests(EtcdFixture etcd, ITestOutputHelper output)
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task An_agent_with_mutual_TLS_and_static_auth_admits_only_clients_with_both_and_a_daemon_without_a_client_certificate_keeps_running()
    {
        using var pki = new TestPki();
        using var loggers = new TestOutputLoggerFactory(output);
        var root = "/tls-" + Guid.NewGuid().ToString("N")[..12];
        var topoOptions = new TopoServerOptions { GlobalServerAddresses = [etcd.Endpoint], GlobalRoot = root + "/global" };
        await using (var topo = TopoServer.Open(topoOptions))
        {
            await topo.CellInfos.CreateAsync("zone1", new CellInfo { ServerAddress = etcd.Endpoint, Root = root + "/zone1" }, Deadline());
        }
        var server = pki.IssueServer();
        var passwords = Path.Combine(pki.Directory, "users.json");
        File.WriteAllText(passwords, """[{"Username": "vtorc", "Password": "s3cret"}]""");
        await using var mariadb = await MariaDbProcess.StartAsync(cancellationToken: Deadline(120));
        var agent = await TabletAgent.StartAsync(new TabletAgentOptions
        {
            TabletUid = 100,
            Cell = "zone1",
            Keyspace = "ks",
            Shard = "0",
            MySql = new MySqlConnectionOptions { Host = mariadb.Host, Port = mariadb.Port, User = mariadb.User, Password = mariadb.Password },
            ReplicationUser = mariadb.User,
            ReplicationPassword = mariadb.Password,
            Topo = topoOptions,
            GrpcSecurity = new TabletServerSecurity
            {
                CertPath = server.CertPath,
                KeyPath = server.KeyPath,
                CaPath = pki.CaPath,
                AuthMode = "static",
                StaticAuthPasswordFile = passwords,
            },
        }, loggers, Deadline(120));
        try
        {
            await using var reader = TopoServer.Open(topoOptions);
            var tablet = (await reader.Tablets.GetAsync(TabletAliases.Create("zone1", 100), Deadline())).Value;
            var client = pki.IssueClient();
            var good = Path.Combine(pki.Directory, "good.json");
            var bad = Path.Combine(pki.Directory, "bad.json");
            File.WriteAllText(good, """{"Username": "vtorc", "Password": "s3cret"}""");
            File.WriteAllText(bad, """{"Username": "vtorc", "Password": "guess"}""");
            var mutual = new TabletClientSecurity { CertPath = client.CertPath, KeyPath = client.KeyPath, CaPath = pki.CaPath };

            using (var admitted = new GrpcTabletManagerClient((mutual with { StaticClientCredentialsPath = good }).Apply(new())))
            {
                var status = await admitted.FullStatusAsync(tablet, CancellationToken.None, Generous);
                Assert.NotEqual(0u, status.ServerId);
                // The health stream shares the channel, so it is reached over TLS with the credentials too.
                await foreach (var health in admitted.StreamHealthAsync(tablet, Deadline()))
                {
                    Assert.Equal("zone1-0000000100", health.TabletAlias.ToText());
                    break;
                }
            }
            using (var wrongPassword = new GrpcTabletManagerClient((mutual with { StaticClientCredentialsPath = bad }).Apply(new())))
            {
                var e = await Assert.ThrowsAsync<RpcException>(() => wrongPassword.FullStatusAsync(tablet, CancellationToken.None, Generous));
                Assert.Equal(StatusCode.PermissionDenied, e.StatusCode);
                Assert.Contains("tablet zone1-0000000100", e.Status.Detail);
                Assert.Contains("provided invalid credentials", e.Status.Detail);
            }

            await DaemonWithoutClientCertificateAsync(pki, root);
        }
        finally
        {
            await agent.StopAsync(Deadline());
        }
    }

    /// <summary>
    /// The daemon trusts the CA but has no client certificate: its polls of the tablet fail with an error naming the
    /// tablet and the refused certificate, and it goes on serving (here over HTTPS, our --http-tls-cert) and polling.
    /// </summary>
    private async Task DaemonWithoutClientCertificateAsync(TestPki pki, string root)
    {
        var httpCertificate = pki.IssueServer();
        int port = LoopbackPorts.PickFree(1)[0];
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(180));
        var daemon = VtorcApp.RunAsync(
            ["--topo-global-server-address", etcd.Endpoint, "--topo-global-root", root + "/global",
             "--port", port.ToString(CultureInfo.InvariantCulture), "--bind-address", "127.0.0.1", "--instance-poll-time", "1s", "--allow-recovery=false",
             "--tablet-manager-grpc-ca", pki.CaPath, "--http-tls-cert", httpCertificate.CertPath, "--http-tls-key", httpCertificate.KeyPath],
            TextWriter.Synchronized(stdout), TextWriter.Synchronized(stderr), stop.Token);
        using var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                // Our test CA signed the daemon's certificate; the check that TLS towards tablets uses is tested elsewhere.
                RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate?.Issuer == "CN=vtorc test CA",
            },
        };
        using var http = new HttpClient(handler) { BaseAddress = new Uri($"https://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(10) };
        string status = "";
        try
        {
        await Poll.UntilAsync(async () =>
        {
            Assert.False(daemon.IsCompleted, $"the daemon exited: {stderr}");
            try
            {
                status = await http.GetStringAsync("debug/status");
                return status.Contains("zone1-0000000100", StringComparison.Ordinal) && status.Contains("client certificate", StringComparison.Ordinal);
            }
            catch (HttpRequestException e)
            {
                status = e.ToString();
                return false; // not listening yet
            }
        }, TimeSpan.FromSeconds(90), "the status page shows the refused poll of zone1-0000000100");
        }
        finally
        {
            output.WriteLine("last status page or error: " + status);
        }
        Assert.Contains("client certificate required?", status);

        // Still serving and still healthy after further poll rounds.
        await Poll.UntilAsync(async () => (await http.GetAsync("debug/health")).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(60),
            "/debug/health answers 200 over HTTPS");
        Assert.False(daemon.IsCompleted, $"the daemon exited: {stderr}");
        await stop.CancelAsync();
        Assert.Equal(0, await daemon);
        Assert.Contains($"status page https://127.0.0.1:{port}/", stdout.ToString());
    }

    private static CancellationToken Deadline(int seconds = 30) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;
}
