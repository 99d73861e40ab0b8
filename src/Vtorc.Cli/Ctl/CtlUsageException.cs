namespace Vtorc.Cli.Ctl;

/// <summary>The operator asked for something that cannot be done as asked; the message says what to change.</summary>
internal sealed class CtlUsageException(string message) : Exception(message);
