using System.Reflection;
using Topodata;
using Vtorc.Orchestrator.Analysis;

namespace Vtorc.Orchestrator.Tests.Analysis;

/// <summary>
/// Observations built by reflection over <see cref="InstanceObservation"/>'s settable properties, each set to a value
/// that differs from its default, so the observation table's tests see a field they do not know about.
/// </summary>
internal static class ObservationSamples
{
    /// <summary>The stored fields: public properties with a setter (derived ones are get-only).</summary>
    public static IReadOnlyList<PropertyInfo> StoredProperties { get; } =
        [.. typeof(InstanceObservation).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is { IsPublic: true })];

    /// <summary>Only the required fields set (empty): every other field at its default.</summary>
    public static InstanceObservation Blank() => InstanceObservation.Fields.Unfilled();

    /// <summary>A copy of <paramref name="observation"/> with one property changed.</summary>
    public static InstanceObservation With(InstanceObservation observation, PropertyInfo property, object? value)
    {
        var copy = observation with { };
        property.SetValue(copy, value);
        return copy;
    }

    /// <summary>Every stored field at its sample value.</summary>
    public static InstanceObservation Full()
    {
        var observation = Blank();
        for (int i = 0; i < StoredProperties.Count; i++)
        {
            observation = With(observation, StoredProperties[i], SampleFor(StoredProperties[i], i));
        }
        return observation;
    }

    /// <summary>A value for <paramref name="property"/> other than its default, distinct per index where the type allows.</summary>
    public static object SampleFor(PropertyInfo property, int index)
    {
        var now = ShardScenario.Now;
        var type = property.PropertyType;
        return type switch
        {
            _ when type == typeof(string) => $"{property.Name}-{index}",
            _ when type == typeof(bool) => !(bool)property.GetValue(Blank())!,
            _ when type == typeof(int) => 1000 + index,
            _ when type == typeof(uint) => (uint)(2000 + index),
            _ when type == typeof(long) => 3000L + index,
            _ when type == typeof(ulong) => ulong.MaxValue - (ulong)index,
            _ when type == typeof(double) => 0.25 + index,
            _ when type == typeof(long?) => (long?)(4000L + index),
            _ when type == typeof(double?) => (double?)(0.5 + index),
            _ when type == typeof(TabletType) => TabletType.Rdonly,
            _ when type == typeof(ReplicationThreadState) => ReplicationThreadState.Running,
            _ when type == typeof(DateTimeOffset) => now.AddSeconds(index).AddTicks(1234567),
            _ when type == typeof(BinlogCoordinates) => new BinlogCoordinates($"binlog.{index:D6}", 4 + index, 0),
            _ when type == typeof(PrimaryHealthWindow) =>
                new PrimaryHealthWindow([new PrimaryHealthEvent(now.AddSeconds(-3), false), new PrimaryHealthEvent(now.AddSeconds(-1), true)], unhealthy: true),
            _ when type == typeof(IReadOnlyList<ShardPeerReport>) =>
                (IReadOnlyList<ShardPeerReport>)[new ShardPeerReport("zone1-0000000100", 2, now.AddSeconds(-2), TimeSpan.FromSeconds(1.5))],
            _ => throw new NotSupportedException($"No sample value for {property.Name} of type {type}: add one to {nameof(ObservationSamples)}."),
        };
    }

    /// <summary>Values compared as the snapshot round trip must keep them (lists element by element).</summary>
    public static bool SameValue(object? a, object? b) =>
        a is IReadOnlyList<ShardPeerReport> x && b is IReadOnlyList<ShardPeerReport> y ? x.SequenceEqual(y) : Equals(a, b);
}
