using Microsoft.AspNetCore.Http;
using Vtorc.Orchestrator.Snapshot;

namespace Vtorc.Orchestrator.Http;

/// <summary>
/// What the daemon holds, for operators: <c>/api/database-state</c> (every history table, VTOrc's tab-indented
/// JSON sent as text/plain), <c>/api/config</c> (the settings in force and their values, same form; with
/// <c>?sources=true</c> also where each came from) and <c>/api/snapshot</c>
/// (the state the analysis reads, as the document <c>vtorc analyze --snapshot</c> replays; optional
/// <c>keyspace</c>/<c>shard</c> filter).
/// </summary>
internal sealed class StateEndpoints(IOrchestratorQueries queries, HttpServerOptions httpOptions)
{
    public IEnumerable<HttpEndpoint> Endpoints() =>
    [
        HttpEndpoint.Read("/api/database-state", AclRole.Monitoring, DatabaseStateAsync),
        HttpEndpoint.Read("/api/config", AclRole.Monitoring, ConfigAsync),
        HttpEndpoint.Read("/api/snapshot", AclRole.Monitoring, SnapshotAsync),
    ];

    private async Task DatabaseStateAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var tables = await queries.DatabaseStateAsync(cancellationToken).ConfigureAwait(false);
        await HttpResponses.JsonAsPlainTextAsync(context, GoJsonSerializer.SerializeTabIndented(tables)).ConfigureAwait(false);
    }

    private async Task ConfigAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var parameters = await QueryParameters.ReadAsync(context.Request, cancellationToken).ConfigureAwait(false);
        var values = FlagSettings.Of(queries.Options, httpOptions);
        // Without ?sources the answer keeps VTOrc's shape (setting → value), so tools written for VTOrc read it unchanged.
        object answer = parameters.Text("sources") is "true" or "1" && httpOptions.SettingOrigins is { } origins
            ? FlagSettings.WithOrigins(values, origins())
            : values;
        await HttpResponses.JsonAsPlainTextAsync(context, GoJsonSerializer.SerializeTabIndented(answer)).ConfigureAwait(false);
    }

    private async Task SnapshotAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var parameters = await QueryParameters.ReadAsync(context.Request, cancellationToken).ConfigureAwait(false);
        var (keyspace, shard) = parameters.ShardFilter();
        var document = ShardSnapshotDocument.Export(queries.Snapshots(keyspace, shard), queries.AnalysisSettings, queries.Now);
        await HttpResponses.JsonAsync(context, StatusCodes.Status200OK, document).ConfigureAwait(false);
    }
}
