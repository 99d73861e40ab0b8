using Query;
using Topodata;

namespace Vtorc.Reparent.TabletManager;

/// <summary>
/// Tablets' health streams (<c>queryservice.Query/StreamHealth</c>, docs/wire-format.md "The health stream"). Separate
/// from <see cref="ITabletManagerClient"/> because only a client that can hold long streams offers it.
/// </summary>
public interface ITabletHealthStreams
{
    /// <summary>
    /// The tablet's snapshots as they arrive. No deadline: the stream lasts until the tablet ends it (the sequence ends),
    /// it fails (<see cref="Grpc.Core.RpcException"/>), this client replaces the tablet's connection on purpose
    /// (<see cref="HealthStreamConnectionReplacedException"/>: open it again) or <paramref name="cancellationToken"/>
    /// fires; the caller times out on silence.
    /// </summary>
    IAsyncEnumerable<StreamHealthResponse> StreamHealthAsync(Tablet tablet, CancellationToken cancellationToken);
}
