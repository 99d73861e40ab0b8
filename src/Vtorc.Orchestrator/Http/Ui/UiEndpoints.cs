using Microsoft.AspNetCore.Http;
using Vtorc.Orchestrator.Analysis;
using Vtorc.Orchestrator.Store;

namespace Vtorc.Orchestrator.Http.Ui;

/// <summary>
/// The operator page (docs/ui.md): <c>/</c> and its script and style sheet, its read model <c>/api/ui/overview</c> and
/// <c>/api/ui/shard</c>, and the live push <c>/api/ui/events</c>. All MONITORING: the page only reads; its actions go
/// to the ADMIN endpoints, which the security policy guards as every other.
/// </summary>
internal sealed class UiEndpoints(IOrchestratorQueries queries, UiAssets assets, FleetChangeFeed feed)
{
    public IEnumerable<HttpEndpoint> Endpoints() =>
    [
        HttpEndpoint.Read("/", AclRole.Monitoring, (context, _) => assets.Page.ServeAsync(context)),
        HttpEndpoint.Read(assets.Script.Path, AclRole.Monitoring, (context, _) => assets.Script.ServeAsync(context)),
        HttpEndpoint.Read(assets.Style.Path, AclRole.Monitoring, (context, _) => assets.Style.ServeAsync(context)),
        HttpEndpoint.JsonRead("/api/ui/overview", AclRole.Monitoring, OverviewAsync),
        HttpEndpoint.JsonRead("/api/ui/shard", AclRole.Monitoring, ShardAsync),
        HttpEndpoint.Read("/api/ui/events", AclRole.Monitoring, (context, _) => feed.ServeAsync(context)),
    ];

    private async Task OverviewAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var filter = FleetFilter.From(await QueryParameters.ReadAsync(context.Request, cancellationToken).ConfigureAwait(false));
        var fleet = await ContextAsync(withRecentRecoveries: true, cancellationToken).ConfigureAwait(false);
        // The recovery tick's analysis, not a new one: a page (or five) refreshing at 2,500 shards must not analyse the
        // fleet again for every request.
        var overview = FleetOverview.Build(queries.RecentFleetAnalysis(), queries.RecoveryOutcomes, fleet.Recent, filter, fleet.Context);
        await UiJson.WriteAsync(context, overview).ConfigureAwait(false);
    }

    private async Task ShardAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var parameters = await QueryParameters.ReadAsync(context.Request, cancellationToken).ConfigureAwait(false);
        var keyspace = parameters.Required("keyspace", "name the shard's keyspace");
        var shard = parameters.Required("shard", "name the shard, e.g. -80 or 0");
        var snapshot = queries.Snapshots(keyspace, shard).FirstOrDefault();
        if (snapshot is null)
        {
            context.Response.Headers.CacheControl = "no-store";
            await HttpResponses.JsonAsync(context, StatusCodes.Status404NotFound,
                UiJson.Serialize(new ErrorJson($"shard {keyspace}/{shard} is not known to this orchestrator (not in the topology or not watched)")))
                .ConfigureAwait(false);
            return;
        }
        // The shard's own recoveries are read below; the fleet's most recent ones are the overview's.
        var fleet = await ContextAsync(withRecentRecoveries: false, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<RecoveryRecord> recoveries = [];
        IReadOnlyList<OperatorReparentRecord> operatorReparents = [];
        CompletedRecoveryRecord? lastShardWide = null;
        var storeError = fleet.Context.StoreError;
        try
        {
            recoveries = await queries.ReadShardRecoveriesAsync(keyspace, shard, ShardView.TimelineLength, cancellationToken).ConfigureAwait(false);
            operatorReparents = await queries.ReadShardOperatorReparentsAsync(keyspace, shard, ShardView.TimelineLength, cancellationToken).ConfigureAwait(false);
            lastShardWide = await queries.LastCompletedShardWideRecoveryAsync(keyspace, shard, cancellationToken).ConfigureAwait(false);
        }
        catch (StoreException e)
        {
            storeError ??= e.Message;
        }
        // One shard is cheap to analyse now; how long each problem has lasted comes from the tick's running account
        // (never a new analysis of the whole fleet for one shard's view).
        var result = DetectionAnalyzer.Analyze(snapshot, queries.AnalysisSettings, fleet.Context.Now);
        var view = ShardView.Build(snapshot, result, queries.AnalysisSettings, queries.RecoveryOutcomes, recoveries, operatorReparents, lastShardWide,
            queries.Options.Recovery.RecoveryPeriodBlockDuration, queries.ProblemDetectedSince, fleet.Context with { StoreError = storeError });
        await UiJson.WriteAsync(context, view).ConfigureAwait(false);
    }

    /// <summary>The daemon-wide facts and, if asked for, the fleet's recent recoveries; a failing history store is reported, not fatal.</summary>
    private async Task<(FleetContext Context, IReadOnlyList<RecoveryRecord> Recent)> ContextAsync(bool withRecentRecoveries, CancellationToken cancellationToken)
    {
        bool? disabled = null;
        string? storeError = null;
        IReadOnlyList<RecoveryRecord> recent = [];
        try
        {
            disabled = await queries.IsGlobalRecoveryDisabledAsync(cancellationToken).ConfigureAwait(false);
            if (withRecentRecoveries)
            {
                recent = await queries.ReadRecentRecoveriesAsync(0, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (StoreException e)
        {
            storeError = $"the history store failed: {e.Message}";
        }
        return (new FleetContext(queries.Now, queries.DiscoveredOnce, disabled, storeError, queries.PollErrors), recent);
    }
}
