namespace Vtorc.Orchestrator.Store;

/// <summary>A store operation whose failure the caller must act on (VTOrc aborts the step) failed.</summary>
internal sealed class StoreException(string message, Exception? inner = null) : Exception(message, inner);
