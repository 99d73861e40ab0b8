using Vtorc.Orchestrator.Recovery;

namespace Vtorc.Orchestrator.Http;

/// <summary>One row of <c>/api/disabled-recoveries</c> (ours).</summary>
/// <param name="Scope">"global", "keyspace" or "shard".</param>
/// <param name="DisabledAt">Null for a global disable recorded before the store kept who and when.</param>
internal sealed record DisabledRecoveryJson(string Scope, string Keyspace, string Shard, string DisabledBy, string Reason, DateTimeOffset? DisabledAt)
{
    public static DisabledRecoveryJson From(RecoveryDisable disable) =>
        new(disable.Scope.Name, disable.Scope.Keyspace, disable.Scope.Shard, disable.DisabledBy, disable.Reason, disable.DisabledAt);
}
