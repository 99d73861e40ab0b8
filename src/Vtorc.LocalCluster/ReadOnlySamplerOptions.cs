namespace Vtorc.LocalCluster;

/// <summary>
/// How often a <see cref="ReadOnlySampler"/> reads and how long it waits. The defaults are the chaos suite's checker
/// (docs/reliability.md, "The checker"): a round every 100 ms, 300 ms for the answers.
/// </summary>
public sealed record ReadOnlySamplerOptions
{
    /// <summary>Time from the start of one round to the start of the next (a longer round starts the next at once).</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How long a round waits for answers; a server that is slower is "not read" this round.</summary>
    public TimeSpan AnswerWait { get; init; } = TimeSpan.FromMilliseconds(300);

    /// <summary>Connect, read and write timeout of the sampler's connections (a read as a whole gets three times this).</summary>
    public TimeSpan ReadTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Read at the start of each round; the round's two-writable time is added up under it (e.g. the chaos suite's current fault). Null: phase 0.</summary>
    public Func<int>? CurrentPhase { get; init; }

    /// <summary>
    /// Names of servers that do not count while they are in this set, read after a round's confirming read: nobody can
    /// fence a server the fault cuts off from the orchestrators (docs/reliability.md). Null: every server counts.
    /// </summary>
    public Func<IReadOnlySet<string>>? LeftOut { get; init; }
}
