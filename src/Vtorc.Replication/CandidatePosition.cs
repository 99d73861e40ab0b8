namespace Vtorc.Replication;

/// <summary>
/// What ERS knows of one candidate's progress (docs/wire-format.md, "Replication positions"): <see cref="Combined"/> =
/// executed ∪ retrieved (the relay-log position, or a demoted primary's executed position), <see cref="Executed"/> =
/// what it applied. For non-GTID flavors only Combined is meaningful and Executed may be
/// <see cref="ReplicationPosition.Empty"/>.
/// </summary>
public sealed record CandidatePosition(ReplicationPosition Combined, ReplicationPosition Executed)
{
    public ReplicationPosition Combined { get; } = Combined ?? throw new ArgumentNullException(nameof(Combined));
    public ReplicationPosition Executed { get; } = Executed ?? throw new ArgumentNullException(nameof(Executed));

    /// <summary>A candidate whose only known position is <paramref name="combined"/> (demoted primary, FilePos).</summary>
    public static CandidatePosition CombinedOnly(ReplicationPosition combined) => new(combined, ReplicationPosition.Empty);
}
