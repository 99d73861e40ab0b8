using Etcdserverpb;
using Grpc.Net.Client;

namespace Vtorc.Protocol.Etcd;

/// <summary>The generated etcd clients of one endpoint, all on that endpoint's single channel (one HTTP/2 connection).</summary>
internal sealed class EtcdStubs : IDisposable
{
    private readonly GrpcChannel _channel;

    public EtcdStubs(GrpcChannel channel)
    {
        _channel = channel;
        Kv = new KV.KVClient(channel);
        Watch = new Watch.WatchClient(channel);
        Lease = new Lease.LeaseClient(channel);
        Maintenance = new Maintenance.MaintenanceClient(channel);
    }

    public KV.KVClient Kv { get; }

    public Watch.WatchClient Watch { get; }

    public Lease.LeaseClient Lease { get; }

    public Maintenance.MaintenanceClient Maintenance { get; }

    public void Dispose() => _channel.Dispose();
}
