namespace Vtorc.Topo;

/// <summary>The <c>keyspace/shard</c> form operators type (Vitess's <c>ParseKeyspaceShard</c>).</summary>
internal static class KeyspaceShardText
{
    /// <summary>Splits <c>commerce/-80</c> into its parts and validates both; the shard comes back canonical (lower-case).</summary>
    /// <exception cref="FormatException">Not exactly one '/', or a bad name; the message quotes the text.</exception>
    public static (string Keyspace, string Shard) Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split('/');
        if (parts.Length != 2)
        {
            throw new FormatException($"invalid keyspace/shard \"{text}\": expected <keyspace>/<shard>, e.g. commerce/0 or commerce/-80");
        }

        try
        {
            TopoNames.ValidateKeyspace(parts[0]);
            return (parts[0], TopoNames.ValidateShard(parts[1]));
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"invalid keyspace/shard \"{text}\": {e.Message}", e);
        }
        catch (FormatException e)
        {
            throw new FormatException($"invalid keyspace/shard \"{text}\": {e.Message}", e);
        }
    }

    public static string Format(string keyspace, string shard) => $"{keyspace}/{shard}";
}
