using Vtorc.LocalCluster;
using Xunit.Abstractions;

namespace Vtorc.Agent.Tests.Agent;

/// <summary>
/// The shared read_only sampler (the chaos suite's checker and the live tests' "never two writable servers") on real
/// MariaDB: it must see two writable servers when there are two, or every test that asserts it saw none proves nothing.
/// </summary>
[NeedsExternalProcess]
public sealed class ReadOnlySamplerTests(ITestOutputHelper output) : AgentClusterTest(output)
{
    [Fact]
    public async Task Two_writable_servers_are_reported_by_name_and_a_left_out_server_does_not_count()
    {
        await BuildShardAsync();
        var primary = Cluster[0];
        var replica = Cluster[1];
        IReadOnlySet<string> leftOut = new HashSet<string>(StringComparer.Ordinal) { replica.AliasText };
        await using var every = ReadOnlySampler.Of(Cluster.Members);
        await using var sparing = new ReadOnlySampler([.. Cluster.Members.Select(m => new CheckedServer(m.AliasText, m.MySqlOptions))],
            new ReadOnlySamplerOptions { LeftOut = () => leftOut, CurrentPhase = () => 7 });
        every.Start();
        sparing.Start();
        await Poll.UntilAsync(() => Task.FromResult(every.Rounds >= 5 && sparing.Rounds >= 5), TimeSpan.FromSeconds(30), "both samplers ran five rounds");
        Assert.Empty(every.Episodes);

        await replica.ExecuteAsync("SET GLOBAL read_only = OFF");
        try
        {
            await Poll.UntilAsync(() => Task.FromResult(every.Episodes.Count > 0), TimeSpan.FromSeconds(30), "the sampler saw two writable servers");
            var rounds = sparing.Rounds;
            await Poll.UntilAsync(() => Task.FromResult(sparing.Rounds >= rounds + 10), TimeSpan.FromSeconds(30), "ten more rounds of the sampler that leaves the replica out");
        }
        finally
        {
            await replica.ExecuteAsync("SET GLOBAL read_only = ON");
        }
        await every.StopAsync();
        await sparing.StopAsync();

        Assert.Contains(primary.AliasText, every.Episodes[0], StringComparison.Ordinal);
        Assert.Contains(replica.AliasText, every.Episodes[0], StringComparison.Ordinal);
        Assert.True(every.TwoWritableMsByPhase.GetValueOrDefault(0) > 0, "two-writable time was added up");
        Assert.Contains(replica.AliasText, every.SeenWritable);
        Assert.Empty(sparing.Episodes);
        Assert.Empty(sparing.TwoWritableMsByPhase);
        Assert.Contains(replica.AliasText, sparing.SeenWritable);
    }
}
