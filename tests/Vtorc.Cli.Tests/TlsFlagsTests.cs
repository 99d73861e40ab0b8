namespace Vtorc.Cli.Tests;

/// <summary>The TLS and auth flags are listed in --help and a setting that cannot work stops the command, naming the flag.</summary>
[Collection(EtcdCollection.Name)]
[NeedsExternalProcess]
public sealed class TlsFlagsTests(EtcdFixture etcd)
{
    [Fact]
    public async Task Daemon_help_lists_the_tablet_TLS_and_auth_flags_and_our_HTTPS_flags()
    {
        var result = await CtlRunner.RunRawAsync("--help");

        Assert.Equal(0, result.ExitCode);
        foreach (var flag in new[] { "--tablet-manager-grpc-cert", "--tablet-manager-grpc-key", "--tablet-manager-grpc-ca", "--tablet-manager-grpc-crl",
                     "--tablet-manager-grpc-server-name", "--grpc-auth-static-client-creds", "--topo-etcd-tls-cert", "--topo-etcd-tls-key",
                     "--topo-etcd-tls-ca", "--http-tls-cert", "--http-tls-key" })
        {
            Assert.Contains(flag, result.Output);
        }
    }

    [Fact]
    public async Task Tablet_help_lists_vttablets_gRPC_TLS_and_auth_flags()
    {
        var result = await CtlRunner.RunRawAsync("tablet", "--help");

        Assert.Equal(0, result.ExitCode);
        foreach (var flag in new[] { "--grpc-cert", "--grpc-key", "--grpc-ca", "--grpc-crl", "--grpc-auth-mode", "--grpc-auth-static-password-file" })
        {
            Assert.Contains(flag, result.Output);
        }
    }

    [Fact]
    public async Task Daemon_with_an_unreadable_client_credentials_file_fails_at_start_naming_the_flag_and_the_file()
    {
        var missing = Path.Combine(Path.GetTempPath(), "vtorc-no-such-creds-" + Guid.NewGuid().ToString("N") + ".json");

        var result = await CtlRunner.RunRawAsync("--topo-global-server-address", etcd.Endpoint, "--topo-global-root", "/tls-flags/global",
            "--grpc_auth_static_client_creds", missing);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--grpc-auth-static-client-creds", result.Error);
        Assert.Contains(missing, result.Error);
    }

    [Fact]
    public async Task Tablet_with_a_password_file_but_no_auth_mode_fails_naming_both_flags()
    {
        var credentials = Path.Combine(Path.GetTempPath(), "vtorc-creds-" + Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(credentials, """{"user": "u", "password": "p"}""");
        CtlResult result;
        try
        {
            result = await CtlRunner.RunRawAsync("tablet", "--cell", "zone1", "--tablet-uid", "103", "--keyspace", "ks", "--shard", "0",
                "--mysql-credentials-file", credentials, "--grpc-auth-static-password-file", "/nonexistent/users.json",
                "--topo-global-server-address", etcd.Endpoint);
        }
        finally
        {
            File.Delete(credentials);
        }

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--grpc-auth-mode", result.Error);
        Assert.Contains("--grpc-auth-static-password-file", result.Error);
    }

    [Fact]
    public async Task Daemon_with_only_half_of_the_HTTPS_flags_fails_naming_both()
    {
        var result = await CtlRunner.RunRawAsync("--topo-global-server-address", etcd.Endpoint, "--port", "0", "--http-tls-cert", "/nonexistent/cert.pem");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--http-tls-key", result.Error);
    }
}
