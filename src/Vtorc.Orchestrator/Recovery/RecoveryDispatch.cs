namespace Vtorc.Orchestrator.Recovery;

/// <summary>What one tick dispatched: shards started, shards left out (a recovery in flight), and the started
/// recoveries' completion (never faults).</summary>
internal sealed record RecoveryDispatch(int ShardsStarted, int ShardsSkipped, Task Completion);
