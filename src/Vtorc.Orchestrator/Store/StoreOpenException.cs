namespace Vtorc.Orchestrator.Store;

/// <summary>The store could not be opened; the message names the data file (or audit file) that was at fault.</summary>
public sealed class StoreOpenException(string message, Exception? inner = null) : Exception(message, inner);
