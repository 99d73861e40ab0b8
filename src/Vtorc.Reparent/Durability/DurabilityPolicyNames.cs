namespace Vtorc.Reparent.Durability;

/// <summary>The names Vitess uses in the keyspace record for the built-in policies.</summary>
public static class DurabilityPolicyNames
{
    public const string None = "none";
    public const string SemiSync = "semi_sync";
    public const string SemiSyncWithRdonlyAck = "semi_sync_with_rdonly_ack";
    public const string CrossCell = "cross_cell";
    public const string CrossCellWithRdonlyAck = "cross_cell_with_rdonly_ack";

    /// <summary>Registered by Vitess for its own tests; kept so keyspaces that name it still load.</summary>
    public const string Test = "test";
}
