namespace Vtorc.Orchestrator.Recovery;

/// <summary>The result of one <see cref="RecoveryPipeline.ExecuteAsync"/> run, with the message that was logged.</summary>
public sealed record RecoveryExecution(RecoveryOutcome Outcome, string RecoveryName, string Message)
{
    public RecoverySkipReason? SkipReason { get; init; }

    /// <summary>Set once the detection was recorded (step 4).</summary>
    public long? DetectionId { get; init; }

    /// <summary>Set once the recovery was registered.</summary>
    public long? RecoveryId { get; init; }

    /// <summary>The new primary of a successful ERS/PRS recovery.</summary>
    public string? PromotedAlias { get; init; }

    public override string ToString() => SkipReason is { } reason ? $"{Outcome} ({reason}): {Message}" : $"{Outcome}: {Message}";
}
