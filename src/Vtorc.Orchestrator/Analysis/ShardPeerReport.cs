namespace Vtorc.Orchestrator.Analysis;

/// <summary>
/// What a tablet's shard-peer monitor reports about one peer (FullStatus field 26, <c>ShardPeerHealth</c>; Vitess main,
/// go/vt/vttablet/tabletmanager/shard_health.go): its consecutive failed Pings and when it last tried.
/// </summary>
/// <param name="PeerAlias">The pinged tablet, <c>cell-uid</c>.</param>
/// <param name="ConsecutivePingFailures">Failed Pings in a row (0 after a success).</param>
/// <param name="LastAttemptedPing">When the last Ping started, by the tablet's clock; null when not reported.</param>
/// <param name="TimeSinceLastAttemptedPing">Age of the last attempt measured on the tablet when it answered; null when not reported.</param>
public sealed record ShardPeerReport(string PeerAlias, long ConsecutivePingFailures, DateTimeOffset? LastAttemptedPing,
    TimeSpan? TimeSinceLastAttemptedPing);
