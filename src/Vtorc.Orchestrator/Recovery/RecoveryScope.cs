namespace Vtorc.Orchestrator.Recovery;

/// <summary>
/// What a recovery switch covers: every shard, one keyspace (all its shards) or one shard. Names are kept as given;
/// they are matched exactly against the analysed tablet's keyspace and shard.
/// </summary>
public sealed record RecoveryScope
{
    private RecoveryScope(RecoveryScopeKind kind, string keyspace, string shard)
    {
        Kind = kind;
        Keyspace = keyspace;
        Shard = shard;
    }

    public RecoveryScopeKind Kind { get; }

    /// <summary>"" for <see cref="RecoveryScopeKind.Global"/>.</summary>
    public string Keyspace { get; }

    /// <summary>"" unless <see cref="RecoveryScopeKind.Shard"/>.</summary>
    public string Shard { get; }

    public static RecoveryScope Global { get; } = new(RecoveryScopeKind.Global, "", "");

    /// <exception cref="ArgumentException">The keyspace is empty.</exception>
    public static RecoveryScope ForKeyspace(string keyspace)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(keyspace);
        return new(RecoveryScopeKind.Keyspace, keyspace, "");
    }

    /// <exception cref="ArgumentException">The keyspace or shard is empty.</exception>
    public static RecoveryScope ForShard(string keyspace, string shard)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(keyspace);
        ArgumentException.ThrowIfNullOrWhiteSpace(shard);
        return new(RecoveryScopeKind.Shard, keyspace, shard);
    }

    /// <summary>The scope of a stored row: keyspace "" is global, shard "" a whole keyspace.</summary>
    public static RecoveryScope FromColumns(string keyspace, string shard) =>
        keyspace.Length == 0 ? Global : shard.Length == 0 ? ForKeyspace(keyspace) : ForShard(keyspace, shard);

    /// <summary>Whether a problem of shard <paramref name="keyspace"/>/<paramref name="shard"/> falls under this scope.</summary>
    public bool Covers(string keyspace, string shard) => Kind switch
    {
        RecoveryScopeKind.Global => true,
        RecoveryScopeKind.Keyspace => string.Equals(Keyspace, keyspace, StringComparison.Ordinal),
        _ => string.Equals(Keyspace, keyspace, StringComparison.Ordinal) && string.Equals(Shard, shard, StringComparison.Ordinal),
    };

    /// <summary>"global", "keyspace" or "shard", as the API spells the scope.</summary>
    public string Name => Kind switch
    {
        RecoveryScopeKind.Global => "global",
        RecoveryScopeKind.Keyspace => "keyspace",
        _ => "shard",
    };

    /// <summary>"globally", "for keyspace ks", "for shard ks/-80": what follows "recoveries disabled".</summary>
    public override string ToString() => Kind switch
    {
        RecoveryScopeKind.Global => "globally",
        RecoveryScopeKind.Keyspace => $"for keyspace {Keyspace}",
        _ => $"for shard {Keyspace}/{Shard}",
    };
}
