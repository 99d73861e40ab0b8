namespace Vtorc.Topo;

/// <summary>
/// Validation of keyspace, shard and cell names: 1–64 characters of <c>[A-Za-z0-9_-]</c> (docs/wire-format.md,
/// "Topology in etcd"). Names become path components of etcd keys, so anything else (a '/', a '.', a space) is refused
/// here.
/// </summary>
public static class TopoNames
{
    public const int MaxLength = 64;

    public static void ValidateKeyspace(string name) => Validate("keyspace", name);

    public static void ValidateCell(string name) => Validate("cell", name);

    /// <summary>
    /// Validates a shard name and, for a key-range shard, its range; returns the canonical (lower-case) name.
    /// </summary>
    public static string ValidateShard(string name)
    {
        Validate("shard", name);
        return ShardName.Parse(name).Name;
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the kind and quoting the bad name.</summary>
    public static void Validate(string kind, string name)
    {
        if (!TryValidate(name, out var problem))
        {
            throw new ArgumentException($"invalid {kind} name \"{name}\": {problem}", kind);
        }
    }

    public static bool IsValid(string? name) => TryValidate(name, out _);

    private static bool TryValidate(string? name, out string problem)
    {
        if (string.IsNullOrEmpty(name))
        {
            problem = "it must not be empty";
            return false;
        }

        if (name.Length > MaxLength)
        {
            problem = $"it is {name.Length} characters long, the maximum is {MaxLength}";
            return false;
        }

        foreach (var c in name)
        {
            if (!(c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_' or '-'))
            {
                problem = $"character '{c}' is not allowed (only letters, digits, '_' and '-')";
                return false;
            }
        }

        problem = "";
        return true;
    }
}
