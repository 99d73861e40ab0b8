namespace Vtorc.Orchestrator.Recovery;

/// <summary>A recovery could not do its job for a reason it can name (no primary, no durability policy, …).</summary>
internal sealed class RecoveryException : Exception
{
    public RecoveryException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
