namespace Vtorc.Orchestrator.Tests.Live;

/// <summary>Daemon tests on a real cluster run one at a time: each starts etcd and several mysqld on a small machine.</summary>
[CollectionDefinition(Name)]
public sealed class LiveOrchestratorCollection
{
    public const string Name = "live-orchestrator";
}
