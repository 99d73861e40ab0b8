using Microsoft.AspNetCore.Http;
using Vtorc.Orchestrator.Json;

namespace Vtorc.Orchestrator.Http;

/// <summary>
/// The analysis, as VTOrc's API shows it (all MONITORING, optional <c>keyspace</c>/<c>shard</c> filter, a shard
/// needing a keyspace): <c>/api/problems</c> and <c>/api/errant-gtids</c> (Instance objects), and
/// <c>/api/detection-analysis</c> (the problems found right now; <c>null</c> when none) with its pre-v24 name
/// <c>/api/replication-analysis</c>, which VTOrc v24 dropped and we keep for older scripts; and (Vitess main)
/// <c>/api/shard-tablet-health-quorum</c>, the replicas' verdict on each observed shard's primary (<see cref="ShardQuorumJson"/>).
/// </summary>
internal sealed class AnalysisEndpoints(IOrchestratorQueries queries)
{
    public IEnumerable<HttpEndpoint> Endpoints() =>
    [
        HttpEndpoint.Read("/api/problems", AclRole.Monitoring, ProblemsAsync),
        HttpEndpoint.Read("/api/errant-gtids", AclRole.Monitoring, ErrantGtidsAsync),
        HttpEndpoint.Read("/api/detection-analysis", AclRole.Monitoring, DetectionAnalysisAsync),
        HttpEndpoint.Read("/api/replication-analysis", AclRole.Monitoring, DetectionAnalysisAsync),
        HttpEndpoint.Read("/api/shard-tablet-health-quorum", AclRole.Monitoring, ShardTabletHealthQuorumAsync),
    ];

    private async Task ShardTabletHealthQuorumAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var json = ShardQuorumJson.Write(queries.Snapshots(), queries.AnalysisSettings.Quorum, queries.Now);
        await HttpResponses.JsonAsync(context, StatusCodes.Status200OK, json).ConfigureAwait(false);
    }

    private async Task DetectionAnalysisAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var (keyspace, shard) = (await QueryParameters.ReadAsync(context.Request, cancellationToken).ConfigureAwait(false)).ShardFilter();
        var json = DetectionAnalysisJson.Write(queries.CurrentProblems(keyspace, shard));
        await HttpResponses.JsonAsync(context, StatusCodes.Status200OK, json).ConfigureAwait(false);
    }

    private async Task ProblemsAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var (keyspace, shard) = (await QueryParameters.ReadAsync(context.Request, cancellationToken).ConfigureAwait(false)).ShardFilter();
        var settings = queries.AnalysisSettings;
        var now = queries.Now;
        var instances = InstanceSelection.WithProblems(queries.Snapshots(keyspace, shard), settings, now, keyspace, shard);
        await HttpResponses.JsonAsync(context, StatusCodes.Status200OK, InstanceJson.Write(instances, settings, now)).ConfigureAwait(false);
    }

    private async Task ErrantGtidsAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var (keyspace, shard) = (await QueryParameters.ReadAsync(context.Request, cancellationToken).ConfigureAwait(false)).ShardFilter();
        var instances = InstanceSelection.WithErrantGtids(queries.Snapshots(keyspace, shard), keyspace, shard);
        await HttpResponses.JsonAsync(context, StatusCodes.Status200OK,
            InstanceJson.Write(instances, queries.AnalysisSettings, queries.Now)).ConfigureAwait(false);
    }
}
