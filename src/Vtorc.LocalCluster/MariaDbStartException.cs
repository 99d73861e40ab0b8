namespace Vtorc.LocalCluster;

/// <summary>MariaDB could not be installed or started; the message carries the tail of its log.</summary>
public sealed class MariaDbStartException(string message, bool portClash) : Exception(message)
{
    /// <summary>mariadbd failed because its port was already taken.</summary>
    public bool PortClash { get; } = portClash;
}
