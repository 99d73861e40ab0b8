namespace Vtorc.Reparent.Durability;

/// <summary>
/// Durability policies by name. <see cref="CreateDefault"/> holds the Vitess built-ins; <see cref="Register"/> adds a
/// custom one. Thread-safe: lookups happen on every recovery while registration happens at start-up.
/// </summary>
public sealed class DurabilityPolicyRegistry
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, DurabilityPolicy> _byName = new(StringComparer.Ordinal);

    /// <summary>A registry with none, semi_sync, semi_sync_with_rdonly_ack, cross_cell, cross_cell_with_rdonly_ack and test.</summary>
    public static DurabilityPolicyRegistry CreateDefault()
    {
        var registry = new DurabilityPolicyRegistry();
        registry.Register(new NoneDurability());
        registry.Register(new SemiSyncDurability(rdonlyCanAck: false));
        registry.Register(new SemiSyncDurability(rdonlyCanAck: true));
        registry.Register(new CrossCellDurability(rdonlyCanAck: false));
        registry.Register(new CrossCellDurability(rdonlyCanAck: true));
        registry.Register(new TestDurability());
        return registry;
    }

    /// <summary>The registered names, sorted ordinally.</summary>
    public IReadOnlyList<string> Names
    {
        get
        {
            lock (_gate)
            {
                var names = _byName.Keys.ToArray();
                Array.Sort(names, StringComparer.Ordinal);
                return names;
            }
        }
    }

    /// <exception cref="ArgumentException">The policy has an empty name or its name is already registered.</exception>
    public void Register(DurabilityPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        string name = policy.Name;
        if (string.IsNullOrEmpty(name))
        {
            throw new ArgumentException($"A durability policy needs a non-empty name (policy type {policy.GetType().Name}).", nameof(policy));
        }
        lock (_gate)
        {
            if (!_byName.TryAdd(name, policy))
            {
                throw new ArgumentException($"A durability policy named \"{name}\" is already registered.", nameof(policy));
            }
        }
    }

    public bool TryGet(string name, out DurabilityPolicy? policy)
    {
        ArgumentNullException.ThrowIfNull(name);
        lock (_gate)
        {
            return _byName.TryGetValue(name, out policy);
        }
    }

    /// <exception cref="UnknownDurabilityPolicyException">No policy has that name (including ""); the message lists the registered ones.</exception>
    public DurabilityPolicy Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (TryGet(name, out var policy))
        {
            return policy!;
        }
        throw new UnknownDurabilityPolicyException(name, Names);
    }
}
