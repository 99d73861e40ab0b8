namespace Vtorc.Agent.ShardHealth;

/// <summary>What one Ping result changed about the contact with the tracked peer (what the monitor logs).</summary>
internal enum PeerContactChange
{
    /// <summary>Nothing worth a log line: the same outcome as the ping before.</summary>
    None,

    /// <summary>The first Ping of the peer answered.</summary>
    Reached,

    /// <summary>The first failed Ping after a success, or the first Ping of the peer failed.</summary>
    Lost,

    /// <summary>A Ping answered after one or more failed in a row.</summary>
    Regained,
}
