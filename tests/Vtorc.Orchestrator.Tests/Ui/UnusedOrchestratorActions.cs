using Vtorc.Orchestrator.Http;
using Vtorc.Orchestrator.Recovery;
using Vtorc.Reparent.Operations;

namespace Vtorc.Orchestrator.Tests.Ui;

/// <summary>A fake for servers whose tests never act: every action fails the test.</summary>
internal sealed class UnusedOrchestratorActions : IOrchestratorActions
{
    public Task DisableRecoveriesAsync(RecoveryScope scope, string requestedBy, string reason, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task<bool> EnableRecoveriesAsync(RecoveryScope scope, string requestedBy, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task<ReparentResult> PlannedReparentAsync(string keyspace, string shard, string newPrimary, string requestedBy) =>
        throw new NotSupportedException();

    public Task<ReparentResult> EmergencyReparentAsync(string keyspace, string shard, string? newPrimary, string requestedBy) =>
        throw new NotSupportedException();

    public Task DisableGlobalRecoveriesAsync(string requestedBy, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task EnableGlobalRecoveriesAsync(string requestedBy, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<int> AcknowledgeRecoveryAsync(long recoveryId, string acknowledgedBy, string comment, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task<int> AcknowledgeShardAsync(string keyspace, string shard, string acknowledgedBy, string comment, CancellationToken cancellationToken) =>
        throw new NotSupportedException();
}
