using Tabletmanagerdata;
using Vtorc.LocalCluster;
using Grpc.Core;
using Xunit.Abstractions;

namespace Vtorc.Agent.Tests.Agent;

/// <summary>
/// A promotion that cannot reach the topology leaves its server read-only (chaos, fault EtcdDownDuringFailover: etcd
/// died while an emergency reparent promoted a replica; PromoteReplica failed after making mysqld writable, and that
/// server stayed writable until the orchestrator made the restarted old primary writable next to it).
/// </summary>
[NeedsExternalProcess]
public sealed class FailedPromotionTests(ITestOutputHelper output) : AgentClusterTest(output)
{
    [Fact]
    public async Task PromoteReplica_that_cannot_record_the_new_primary_fails_and_leaves_mysqld_read_only()
    {
        await BuildShardAsync();
        var candidate = Cluster[1];
        await Cluster.Etcd.StopAsync(cancellationToken: AgentCluster.Deadline());
        try
        {
            var error = await FailsAsync(() => candidate.CallAsync<PromoteReplicaRequest, PromoteReplicaResponse>("PromoteReplica",
                new PromoteReplicaRequest(), TimeSpan.FromSeconds(8)));
            Assert.Contains("PromoteReplica", error.Message, StringComparison.Ordinal);
            await Poll.UntilAsync(async () => (await FullStatusAsync(candidate)).ReadOnly, TimeSpan.FromSeconds(30),
                "the candidate is read-only again after its failed promotion");
        }
        finally
        {
            await Cluster.Etcd.StartAgainAsync(AgentCluster.Deadline(60));
        }
    }
}
