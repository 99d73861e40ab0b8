namespace Vtorc.Orchestrator.Recovery;

/// <summary>
/// Recoveries an operator disabled for <see cref="Scope"/>: problems there are detected and shown, not repaired.
/// </summary>
/// <param name="DisabledBy">Who disabled them ("alice, page from 10.1.2.3" from the operator page, "HTTP GET from 10.1.2.3"
/// from the Vitess endpoint); "" when not recorded.</param>
/// <param name="DisabledAt">Null for a global disable recorded before the store kept who and when.</param>
public sealed record RecoveryDisable(RecoveryScope Scope, string DisabledBy, string Reason, DateTimeOffset? DisabledAt)
{
    /// <summary>
    /// The disable that applies to a shard: the widest covering scope (global, then keyspace, then shard), or null.
    /// </summary>
    public static RecoveryDisable? Covering(IEnumerable<RecoveryDisable> disables, string keyspace, string shard)
    {
        ArgumentNullException.ThrowIfNull(disables);
        return disables.Where(d => d.Scope.Covers(keyspace, shard)).OrderBy(d => d.Scope.Kind).FirstOrDefault();
    }

    /// <summary>"recoveries disabled for shard ks/-80 by ui (maintenance)".</summary>
    public string Describe()
    {
        var text = $"recoveries disabled {Scope}";
        if (DisabledBy.Length != 0)
        {
            text += $" by {DisabledBy}";
        }
        return Reason.Length == 0 ? text : $"{text} ({Reason})";
    }
}
