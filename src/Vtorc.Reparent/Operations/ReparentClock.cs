namespace Vtorc.Reparent.Operations;

/// <summary>Reparent journal timestamps: nanoseconds since the Unix epoch, as Vitess writes <c>time_created_ns</c>.</summary>
internal static class ReparentClock
{
    public static long UnixNanoseconds(TimeProvider time) =>
        (time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks * 100;
}
