using Vtorc.Protocol.Rpc;

namespace Vtorc.Reparent.TabletManager;

/// <summary>Settings of <see cref="GrpcTabletManagerClient"/>.</summary>
public sealed record TabletManagerClientOptions
{
    /// <summary>Deadline of a call that names none (Vitess <c>--remote-operation-timeout</c>, default 15 s).</summary>
    public TimeSpan DefaultTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Transport settings of every channel (TLS, message sizes, connect timeout).</summary>
    public RpcChannelOptions ChannelOptions { get; init; } = new();

    /// <summary>"http" (h2c, the default) or "https" (TLS with ALPN h2).</summary>
    public bool UseTls { get; init; }

    /// <summary>Sent as request metadata on every call (static auth: <c>username</c>/<c>password</c>).</summary>
    public IReadOnlyList<KeyValuePair<string, string>>? Headers { get; init; }
}
