namespace Vtorc.Reparent.Decisions;

/// <summary>The four ways PRS promotes its primary-elect (PRS step 4, docs/operation-steps.md).</summary>
internal enum PrsPromotionPath
{
    /// <summary>Fresh shard (no current primary, empty shard record): InitPrimary.</summary>
    InitialPromotion,

    /// <summary>No current primary but the shard record names one: demote everyone, check positions, PromoteReplica.</summary>
    PotentialPromotion,

    /// <summary>The primary-elect already is the current primary: finish a partial promotion.</summary>
    PartialPromotionRecovery,

    /// <summary>Hand over from the current primary.</summary>
    Graceful,
}
