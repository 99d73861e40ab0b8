namespace Vtorc.Benchmarks.Chaos;

/// <summary>
/// How many orchestrator daemons a <see cref="ChaosCluster"/> starts and how they poll. The chaos suite runs two at a
/// 1 s poll; the push-detection benchmark one daemon at the poll it measures, with extra flags (e.g.
/// <c>--tablet-health-stream=false</c>) passed through unchanged.
/// </summary>
internal sealed record ChaosDaemonSettings
{
    public static readonly ChaosDaemonSettings Chaos = new();

    public int Count { get; init; } = 2;

    public TimeSpan InstancePollTime { get; init; } = TimeSpan.FromSeconds(1);

    public IReadOnlyList<string> ExtraArguments { get; init; } = [];
}
