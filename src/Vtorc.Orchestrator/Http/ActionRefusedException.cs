namespace Vtorc.Orchestrator.Http;

/// <summary>A request to an action of our page is refused before it is read (no anti-forgery token, wrong content type);
/// answered with <see cref="Status"/> and this message, which names what was wrong.</summary>
internal sealed class ActionRefusedException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;
}
