namespace Vtorc.Agent.Health;

/// <summary>
/// What the health stream says about a replica's replication: an error text (empty when healthy) and the lag in
/// whole seconds. As vttablet's replication reporter in poller mode (go/vt/vttablet/tabletserver/repltracker/poller.go):
/// threads not both running is the error "replication is not running", and a primary is never asked.
/// </summary>
public sealed record ReplicationHealth(string Error, uint LagSeconds)
{
    public const string NotRunning = "replication is not running";

    public static readonly ReplicationHealth Healthy = new("", 0);
}
