using Vtorc.Orchestrator.Http;

namespace Vtorc.Orchestrator.Tests.Ui;

/// <summary>A fake for servers whose tests never act: every action fails the test.</summary>
internal sealed class UnusedOrchestratorActions : IOrchestratorActions
{
    public Task DisableGlobalRecoveriesAsync(string requestedBy, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task EnableGlobalRecoveriesAsync(string requestedBy, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<int> AcknowledgeRecoveryAsync(long recoveryId, string acknowledgedBy, string comment, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task<int> AcknowledgeShardAsync(string keyspace, string shard, string acknowledgedBy, string comment, CancellationToken cancellationToken) =>
        throw new NotSupportedException();
}
