namespace Vtorc.Protocol.Etcd;

/// <summary>Why a kept-alive lease is gone. <paramref name="Error"/> is the last failure when etcd could not be reached.</summary>
public sealed record LeaseLoss(long LeaseId, string Reason, EtcdException? Error)
{
    public EtcdException ToException() =>
        new(EtcdErrorKind.LeaseLost, "LeaseKeepAlive", LeaseId.ToString(System.Globalization.CultureInfo.InvariantCulture), Reason,
            Error?.Status, Error?.Endpoint, inner: Error);
}
