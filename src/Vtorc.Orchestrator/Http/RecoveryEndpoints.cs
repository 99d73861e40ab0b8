using System.Globalization;
using Microsoft.AspNetCore.Http;
using Vtorc.Orchestrator.Store;

namespace Vtorc.Orchestrator.Http;

/// <summary>
/// The recovery switches and history: <c>/api/disable-global-recoveries</c> and <c>/api/enable-global-recoveries</c>
/// (ADMIN, VTOrc's exact answers), <c>/api/recoveries</c> (recent recoveries with their steps, 20 per
/// <c>page</c>), <c>/api/ack-recovery</c> (ADMIN; acknowledges finished recoveries, which lifts the
/// anti-flapping block of their shard) and our <c>/api/recovery-attempts</c>.
/// </summary>
internal sealed class RecoveryEndpoints(IOrchestratorQueries queries, IOrchestratorActions actions)
{
    /// <summary>Who an acknowledgement is recorded as when the request names nobody.</summary>
    public const string DefaultAcknowledger = "api";

    public IEnumerable<HttpEndpoint> Endpoints() =>
    [
        HttpEndpoint.Action("/api/disable-global-recoveries", AclRole.Admin, DisableAsync),
        HttpEndpoint.Action("/api/enable-global-recoveries", AclRole.Admin, EnableAsync),
        HttpEndpoint.Read("/api/recoveries", AclRole.Monitoring, RecoveriesAsync),
        HttpEndpoint.Action("/api/ack-recovery", AclRole.Admin, AcknowledgeAsync),
        HttpEndpoint.Read("/api/recovery-attempts", AclRole.Monitoring, AttemptsAsync),
    ];

    /// <summary>
    /// Ours: the latest recovery attempt of every current problem, so a tool (or `vtorc local status`) can say why a
    /// problem is still there — disabled, held by the anti-flapping block, shard locked elsewhere, failed.
    /// </summary>
    private async Task AttemptsAsync(HttpContext context, CancellationToken cancellationToken)
    {
        _ = await QueryParameters.ReadAsync(context.Request, cancellationToken).ConfigureAwait(false);
        var attempts = queries.RecoveryOutcomes.OrderBy(p => p.Key.Alias, StringComparer.Ordinal).ThenBy(p => p.Key.Analysis, StringComparer.Ordinal)
            .Select(p => RecoveryAttemptJson.From(p.Key, p.Value)).ToList();
        await HttpResponses.JsonAsync(context, StatusCodes.Status200OK, GoJsonSerializer.Serialize(attempts)).ConfigureAwait(false);
    }

    private async Task DisableAsync(HttpContext context, CancellationToken cancellationToken)
    {
        await actions.DisableGlobalRecoveriesAsync(Requester(context), cancellationToken).ConfigureAwait(false);
        await HttpResponses.PlainTextAsync(context, StatusCodes.Status200OK, "Global recoveries disabled").ConfigureAwait(false);
    }

    private async Task EnableAsync(HttpContext context, CancellationToken cancellationToken)
    {
        await actions.EnableGlobalRecoveriesAsync(Requester(context), cancellationToken).ConfigureAwait(false);
        await HttpResponses.PlainTextAsync(context, StatusCodes.Status200OK, "Global recoveries enabled").ConfigureAwait(false);
    }

    private async Task RecoveriesAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var parameters = await QueryParameters.ReadAsync(context.Request, cancellationToken).ConfigureAwait(false);
        var page = (int)parameters.NonNegativeInteger("page", 0, int.MaxValue / RecoveryHistory.RecentRecoveriesPageSize);
        var recoveries = await queries.ReadRecentRecoveriesAsync(page, cancellationToken).ConfigureAwait(false);
        // Our own endpoint: an empty page is an empty array, not Go's null.
        await HttpResponses.JsonAsync(context, StatusCodes.Status200OK, GoJsonSerializer.Serialize(recoveries.Select(RecoveryJson.From).ToList()))
            .ConfigureAwait(false);
    }

    private async Task AcknowledgeAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var parameters = await QueryParameters.ReadAsync(context.Request, cancellationToken).ConfigureAwait(false);
        var recoveryIdText = parameters.Text("recoveryId");
        var keyspace = parameters.Text("keyspace");
        var shard = parameters.Text("shard");
        if (recoveryIdText.Length != 0 && (keyspace.Length != 0 || shard.Length != 0))
        {
            throw new QueryParameterException("Invalid parameters: give either recoveryId, or keyspace and shard, not both");
        }
        if (recoveryIdText.Length == 0 && (keyspace.Length == 0 || shard.Length == 0))
        {
            throw new QueryParameterException(keyspace.Length == 0 && shard.Length == 0
                ? "Missing value for recoveryId: give recoveryId, or keyspace and shard"
                : $"Missing value for {(keyspace.Length == 0 ? "keyspace" : "shard")}: acknowledging a shard's recoveries needs both keyspace and shard");
        }
        var comment = parameters.Required("comment", "say why the recovery is acknowledged");
        var by = parameters.Text("by");
        if (string.IsNullOrWhiteSpace(by))
        {
            by = DefaultAcknowledger;
        }

        int count = recoveryIdText.Length != 0
            ? await actions.AcknowledgeRecoveryAsync(parameters.NonNegativeInteger("recoveryId", 0), by, comment, cancellationToken)
                .ConfigureAwait(false)
            : await actions.AcknowledgeShardAsync(keyspace, shard, by, comment, cancellationToken).ConfigureAwait(false);
        await HttpResponses.PlainTextAsync(context, StatusCodes.Status200OK,
            $"Acknowledged {count.ToString(CultureInfo.InvariantCulture)} {(count == 1 ? "recovery" : "recoveries")}").ConfigureAwait(false);
    }

    private static string Requester(HttpContext context) =>
        $"HTTP {context.Request.Method} from {ActionRequester.RemoteAddress(context.Connection.RemoteIpAddress)}";
}
