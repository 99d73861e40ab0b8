namespace Vtorc.Reparent.Operations;

/// <summary>
/// A reparent operation failed for a reason other than a candidate decision (those are
/// <see cref="ReparentDecisionException"/>): an RPC that must succeed failed, a wait timed out, the lock is held by
/// someone else or was lost. <see cref="NewPrimary"/> is set when the promotion had already happened.
/// </summary>
public sealed class ReparentOperationException : Exception
{
    public ReparentOperationException(string message, string? newPrimary = null, Exception? inner = null)
        : base(message, inner)
    {
        NewPrimary = newPrimary;
    }

    public string? NewPrimary { get; }
}
