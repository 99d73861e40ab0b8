using System.Collections;
using Microsoft.Extensions.Time.Testing;
using Vtorc.Agent.Manager;

namespace Vtorc.Agent.Tests.Agent;

/// <summary>Credentials loading and call budgets (pure).</summary>
public sealed class AgentOptionsTests
{
    private static readonly IDictionary NoEnvironment = new Hashtable();

    [Fact]
    public void Credentials_come_from_a_JSON_file_with_the_replication_account_defaulting_to_the_main_one()
    {
        using var file = new TempFile("""{"user": "vt", "password": "s3cret"}""");
        var credentials = MySqlCredentials.Load(file.Path, NoEnvironment);
        Assert.Equal(("vt", "s3cret", "vt", "s3cret"), (credentials.User, credentials.Password, credentials.ReplicationUser, credentials.ReplicationPassword));
        Assert.DoesNotContain("s3cret", credentials.ToString());
    }

    [Fact]
    public void Credentials_come_from_key_value_lines_and_the_environment_fills_the_gaps()
    {
        using var file = new TempFile("# accounts\nuser = vt\nreplication_user=repl\n");
        var environment = new Hashtable { [MySqlCredentials.PasswordVariable] = "pw", [MySqlCredentials.ReplicationPasswordVariable] = "rpw" };
        var credentials = MySqlCredentials.Load(file.Path, environment);
        Assert.Equal(("vt", "pw", "repl", "rpw"), (credentials.User, credentials.Password, credentials.ReplicationUser, credentials.ReplicationPassword));
    }

    [Fact]
    public void Credentials_without_a_user_are_refused_naming_where_to_give_one()
    {
        var error = Assert.Throws<ArgumentException>(() => MySqlCredentials.Load(null, NoEnvironment));
        Assert.Contains(MySqlCredentials.UserVariable, error.Message);
    }

    [Fact]
    public void A_credentials_file_with_an_unknown_key_or_bad_JSON_is_refused_without_echoing_its_text()
    {
        using var unknown = new TempFile("user=vt\npasword=typo\n");
        Assert.Contains("\"pasword\"", Assert.Throws<ArgumentException>(() => MySqlCredentials.Load(unknown.Path, NoEnvironment)).Message);
        using var broken = new TempFile("""{"user": "vt", "password": "s3cret" """);
        var error = Assert.Throws<ArgumentException>(() => MySqlCredentials.Load(broken.Path, NoEnvironment));
        Assert.DoesNotContain("s3cret", error.Message);
    }

    [Theory]
    [InlineData(Topodata.TabletType.Replica, true)]
    [InlineData(Topodata.TabletType.Rdonly, true)]
    [InlineData(Topodata.TabletType.Primary, false)]
    [InlineData(Topodata.TabletType.Drained, false)]
    public void A_tablet_may_start_only_as_REPLICA_or_RDONLY(Topodata.TabletType type, bool allowed)
    {
        var options = new TabletAgentOptions
        {
            TabletUid = 1,
            Cell = "zone1",
            Keyspace = "ks",
            Shard = "-80",
            InitialTabletType = type,
            MySql = new Vtorc.Agent.MySql.MySqlConnectionOptions { Host = "127.0.0.1", Port = 3306, User = "vt" },
            ReplicationUser = "vt",
            Topo = new Vtorc.Topo.TopoServerOptions { GlobalServerAddresses = ["127.0.0.1:2379"] },
        };
        if (allowed)
        {
            options.Validate();
            Assert.Equal("zone1-0000000001", options.AliasText);
        }
        else
        {
            Assert.Contains(type.ToString().ToUpperInvariant(), Assert.Throws<ArgumentException>(options.Validate).Message);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void A_health_check_interval_that_is_not_positive_is_refused_naming_it(int seconds)
    {
        var options = new TabletAgentOptions
        {
            TabletUid = 1,
            Cell = "zone1",
            Keyspace = "ks",
            Shard = "0",
            MySql = new Vtorc.Agent.MySql.MySqlConnectionOptions { Host = "127.0.0.1", Port = 3306, User = "vt" },
            ReplicationUser = "vt",
            Topo = new Vtorc.Topo.TopoServerOptions { GlobalServerAddresses = ["127.0.0.1:2379"] },
        };
        options.Validate();
        Assert.Equal(TimeSpan.FromSeconds(1), options.HealthCheckInterval);

        var bad = options with { HealthCheckInterval = TimeSpan.FromSeconds(seconds) };
        Assert.Contains("health check interval", Assert.Throws<ArgumentException>(bad.Validate).Message);
    }

    [Fact]
    public void A_call_budget_ends_a_tenth_before_the_deadline_within_50_ms_and_1_s()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(500), RpcCall.MarginFor(TimeSpan.FromSeconds(5)));
        Assert.Equal(TimeSpan.FromMilliseconds(50), RpcCall.MarginFor(TimeSpan.FromMilliseconds(200)));
        Assert.Equal(TimeSpan.FromSeconds(1), RpcCall.MarginFor(TimeSpan.FromMinutes(1)));
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddDays(20_000));
        var deadline = time.GetUtcNow() + TimeSpan.FromSeconds(5);
        using var call = RpcCall.Start("Test", deadline, CancellationToken.None, TimeSpan.FromSeconds(30), time);
        Assert.Equal(deadline - TimeSpan.FromMilliseconds(500), call.End);
    }

    private sealed class TempFile : IDisposable
    {
        public TempFile(string text)
        {
            Path = System.IO.Path.GetTempFileName();
            File.WriteAllText(Path, text);
        }

        public string Path { get; }

        public void Dispose() => File.Delete(Path);
    }
}
