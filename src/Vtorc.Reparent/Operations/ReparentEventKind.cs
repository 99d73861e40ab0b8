namespace Vtorc.Reparent.Operations;

/// <summary>How an event reads to an operator.</summary>
public enum ReparentEventKind
{
    /// <summary>A step started or a fact was learned.</summary>
    Info,

    /// <summary>A step on a tablet (or the whole operation) succeeded.</summary>
    Success,

    /// <summary>Something failed that the operation tolerates.</summary>
    Warning,

    /// <summary>Something failed that ends the operation (or the operation failed).</summary>
    Failure,

    /// <summary>A tablet was not chosen as the new primary; the message says why.</summary>
    CandidateRejected,
}
