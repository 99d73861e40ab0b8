namespace Vtorc.Orchestrator.Store;

/// <summary>One <c>operator_reparent</c> row with its steps: a planned or emergency reparent an operator started.</summary>
public sealed record OperatorReparentRecord
{
    public required long ReparentId { get; init; }

    /// <summary><see cref="OperatorReparentHistory.Planned"/> or <see cref="OperatorReparentHistory.Emergency"/>.</summary>
    public required string Kind { get; init; }

    public required string Keyspace { get; init; }
    public required string Shard { get; init; }
    public required string RequestedBy { get; init; }

    /// <summary>The tablet the operator asked for; empty when an emergency reparent was left to choose.</summary>
    public string RequestedPrimary { get; init; } = "";

    public required DateTimeOffset StartReparent { get; init; }

    /// <summary>Null while the reparent runs.</summary>
    public DateTimeOffset? EndReparent { get; init; }

    public bool IsSuccessful { get; init; }
    public string NewPrimary { get; init; } = "";
    public string PreviousPrimary { get; init; } = "";

    /// <summary>Why it failed or was refused; empty on success.</summary>
    public string Error { get; init; } = "";

    public IReadOnlyList<OperatorReparentStepRecord> Steps { get; init; } = [];

    public bool IsActive => EndReparent is null;
}
