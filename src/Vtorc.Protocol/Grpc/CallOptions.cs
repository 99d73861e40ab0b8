namespace Vtorc.Protocol.Grpc;

/// <summary>
/// Per-call settings. <paramref name="Timeout"/> becomes the call deadline (sent as grpc-timeout and enforced
/// locally); <paramref name="Headers"/> are custom metadata (lower-case names, not starting with "grpc-").
/// </summary>
public readonly record struct CallOptions(
    TimeSpan? Timeout = null,
    CancellationToken CancellationToken = default,
    IReadOnlyList<KeyValuePair<string, string>>? Headers = null);
