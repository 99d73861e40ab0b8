using System.Globalization;

namespace Vtorc.Agent.Flavors;

/// <summary>
/// Where and how a replica connects to its source (SetReplicationSource). A heartbeat of 0 keeps the server's
/// default (MariaDB and MySQL: half of slave_net_timeout / replica_net_timeout); a connect retry of 0 keeps the
/// server's default too.
/// </summary>
public sealed record ReplicationSourceSettings
{
    public ReplicationSourceSettings(string host, int port, string user, string password)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(password);
        if (host.Length == 0)
        {
            throw new ArgumentException("replication source host is empty", nameof(host));
        }
        if (port is < 1 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(port), port,
                $"replication source port {port.ToString(CultureInfo.InvariantCulture)} for host \"{host}\" is not in 1..65535");
        }
        Host = host;
        Port = port;
        User = user;
        Password = password;
    }

    public string Host { get; }

    public int Port { get; }

    public string User { get; }

    public string Password { get; }

    /// <summary>Seconds between source heartbeats; 0 = server default. The RPC's heartbeat_interval.</summary>
    public double HeartbeatIntervalSeconds
    {
        get;
        init => field = double.IsFinite(value) && value >= 0
            ? value
            : throw new ArgumentOutOfRangeException(nameof(HeartbeatIntervalSeconds), value, "heartbeat interval must be a finite number of seconds ≥ 0");
    }

    /// <summary>Seconds between reconnection attempts; 0 = server default (60).</summary>
    public int ConnectRetrySeconds
    {
        get;
        init => field = value >= 0
            ? value
            : throw new ArgumentOutOfRangeException(nameof(ConnectRetrySeconds), value, "connect retry must be ≥ 0 seconds");
    }

    /// <summary>Replicate by GTID (MariaDB MASTER_USE_GTID=current_pos, MySQL SOURCE_AUTO_POSITION=1). Default true.</summary>
    public bool AutoPosition { get; init; } = true;

    /// <summary>Never prints the password.</summary>
    public override string ToString() =>
        $"{User}@{Host}:{Port.ToString(CultureInfo.InvariantCulture)} (heartbeat {HeartbeatIntervalSeconds.ToString(CultureInfo.InvariantCulture)} s, retry {ConnectRetrySeconds.ToString(CultureInfo.InvariantCulture)} s, auto position {AutoPosition})";
}
