namespace Vtorc.LocalCluster;

/// <summary>etcd could not be started; the message carries the tail of its log.</summary>
internal sealed class EtcdStartException(string message, bool portClash) : Exception(message)
{
    /// <summary>etcd failed because a port it was given was already taken.</summary>
    public bool PortClash { get; } = portClash;
}
