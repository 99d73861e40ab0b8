using Topodata;
using Vtorc.Orchestrator.Analysis;
using Vtorc.Orchestrator.Json;

namespace Vtorc.Orchestrator.Snapshot;

/// <summary>The encodings of observation values in a snapshot file (docs/snapshot-format.md, "An observation").</summary>
internal static class SnapshotCodecs
{
    public static readonly SnapshotCodec<string> Text = new((w, n, v) => w.WriteGoString(n, v), (r, n) => r.String(n));

    public static readonly SnapshotCodec<string> RequiredText = new((w, n, v) => w.WriteGoString(n, v), (r, n) => r.RequiredString(n));

    public static readonly SnapshotCodec<bool> Bool = new((w, n, v) => w.WriteBoolean(n, v), (r, n) => r.Bool(n));

    /// <summary>A boolean that is true when absent.</summary>
    public static readonly SnapshotCodec<bool> BoolTrueWhenAbsent = new((w, n, v) => w.WriteBoolean(n, v), (r, n) => r.Bool(n, absent: true));

    public static readonly SnapshotCodec<uint> UInt32 = new((w, n, v) => w.WriteNumber(n, v), (r, n) => (uint)r.Integer(n, 0, uint.MaxValue));

    public static readonly SnapshotCodec<ulong> UInt64 = new((w, n, v) => w.WriteNumber(n, v), (r, n) => r.UnsignedInteger(n));

    public static readonly SnapshotCodec<int> Int32 = new((w, n, v) => w.WriteNumber(n, v), (r, n) => (int)r.Integer(n, int.MinValue, int.MaxValue));

    public static readonly SnapshotCodec<int> NonNegativeInt32 = new((w, n, v) => w.WriteNumber(n, v), (r, n) => (int)r.Integer(n, 0, int.MaxValue));

    public static readonly SnapshotCodec<long> NonNegativeInt64 = new((w, n, v) => w.WriteNumber(n, v), (r, n) => r.Integer(n, 0, long.MaxValue));

    public static readonly SnapshotCodec<int> Port = new((w, n, v) => w.WriteNumber(n, v), (r, n) => (int)r.Integer(n, 0, 65535));

    public static readonly SnapshotCodec<int> RequiredPort = new((w, n, v) => w.WriteNumber(n, v), (r, n) => (int)r.Integer(n, 0, 65535, required: true));

    /// <summary>A number that may have a fraction, as Go writes a <c>float64</c>.</summary>
    public static readonly SnapshotCodec<double> Float = new((w, n, v) => w.WriteGoFloat(n, v), (r, n) => r.Number(n));

    /// <summary>A whole number, or null when unknown.</summary>
    public static readonly SnapshotCodec<long?> NullableInt64 = new(
        (w, n, v) =>
        {
            if (v is { } value)
            {
                w.WriteNumber(n, value);
            }
            else
            {
                w.WriteNull(n);
            }
        },
        (r, n) => r.NullableInteger(n, long.MinValue, long.MaxValue));

    /// <summary>Seconds (at least 0, may have a fraction), or null when unknown.</summary>
    public static readonly SnapshotCodec<double?> NullableSeconds = new(
        (w, n, v) =>
        {
            if (v is { } value)
            {
                w.WriteNumber(n, value);
            }
            else
            {
                w.WriteNull(n);
            }
        },
        (r, n) => r.NullableNumber(n, min: 0));

    public static readonly SnapshotCodec<DateTimeOffset> RequiredTime = new((w, n, v) => w.WriteGoTime(n, v), (r, n) => r.Time(n, required: true));

    /// <summary>Vitess's upper-case type name (<c>PRIMARY</c>); <c>UNKNOWN</c> when absent.</summary>
    public static readonly SnapshotCodec<TabletType> TabletTypeName = new(
        (w, n, v) => w.WriteGoString(n, SnapshotNames.Of(v)), (r, n) => r.Choice(n, SnapshotNames.TabletTypes, TabletType.Unknown));

    /// <summary>As <see cref="TabletTypeName"/>, but not written at all when unknown.</summary>
    public static readonly SnapshotCodec<TabletType> OptionalTabletTypeName = new(
        (w, n, v) =>
        {
            if (v != TabletType.Unknown)
            {
                w.WriteGoString(n, SnapshotNames.Of(v));
            }
        },
        TabletTypeName.Read);

    public static readonly SnapshotCodec<ReplicationThreadState> ThreadState = new(
        (w, n, v) => w.WriteGoString(n, SnapshotNames.Of(v)), (r, n) => r.Choice(n, SnapshotNames.ThreadStates, ReplicationThreadState.NoThread));

    /// <summary><c>{"log_file", "log_pos", "type"}</c>; empty coordinates when absent.</summary>
    public static readonly SnapshotCodec<BinlogCoordinates> Coordinates = new(
        (w, n, v) =>
        {
            w.WriteStartObject(n);
            w.WriteGoString("log_file", v.LogFile);
            w.WriteNumber("log_pos", v.LogPos);
            w.WriteNumber("type", v.Type);
            w.WriteEndObject();
        },
        (r, n) =>
        {
            if (!r.Element.TryGetProperty(n, out _))
            {
                return BinlogCoordinates.Empty;
            }
            var c = r.Object(n);
            return new BinlogCoordinates(c.String("log_file"), c.Integer("log_pos", 0, long.MaxValue), (int)c.Integer("type", 0, 1));
        });

    /// <summary>An array of peer reports, not written when empty.</summary>
    public static readonly SnapshotCodec<IReadOnlyList<ShardPeerReport>> ShardPeerReports = new(
        (w, n, v) =>
        {
            if (v.Count == 0)
            {
                return;
            }
            w.WriteStartArray(n);
            foreach (var p in v)
            {
                w.WriteStartObject();
                w.WriteGoString("peer_alias", p.PeerAlias);
                w.WriteNumber("consecutive_ping_failures", p.ConsecutivePingFailures);
                if (p.LastAttemptedPing is { } attempted)
                {
                    w.WriteGoTime("last_attempted_ping", attempted);
                }
                if (p.TimeSinceLastAttemptedPing is { } age)
                {
                    w.WriteGoFloat("time_since_last_attempted_ping_seconds", age.TotalSeconds);
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
        },
        (r, n) =>
        {
            if (!r.Element.TryGetProperty(n, out _))
            {
                return [];
            }
            var reports = new List<ShardPeerReport>();
            foreach (var (element, path) in r.Array(n))
            {
                var p = new JsonObjectReader(element, path);
                reports.Add(new ShardPeerReport(p.RequiredString("peer_alias"), p.Integer("consecutive_ping_failures", 0, long.MaxValue),
                    p.Element.TryGetProperty("last_attempted_ping", out _) ? p.Time("last_attempted_ping") : null,
                    p.NullableNumber("time_since_last_attempted_ping_seconds", min: 0) is { } seconds ? TimeSpan.FromSeconds(seconds) : null));
            }
            return reports;
        });

    /// <summary><c>{"unhealthy", "events": [{"at", "success"}]}</c>, not written when empty.</summary>
    public static readonly SnapshotCodec<PrimaryHealthWindow> PrimaryHealth = new(
        (w, n, v) =>
        {
            if (v.IsEmpty)
            {
                return;
            }
            w.WriteStartObject(n);
            w.WriteBoolean("unhealthy", v.Unhealthy);
            w.WriteStartArray("events");
            foreach (var e in v.Events)
            {
                w.WriteStartObject();
                w.WriteGoTime("at", e.At);
                w.WriteBoolean("success", e.Success);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        },
        (r, n) =>
        {
            if (!r.Element.TryGetProperty(n, out _))
            {
                return PrimaryHealthWindow.Empty;
            }
            var health = r.Object(n);
            var events = new List<PrimaryHealthEvent>();
            foreach (var (element, path) in health.Array("events"))
            {
                var e = new JsonObjectReader(element, path);
                events.Add(new PrimaryHealthEvent(e.Time("at", required: true), e.Bool("success")));
            }
            return new PrimaryHealthWindow(events, health.Bool("unhealthy"));
        });
}
