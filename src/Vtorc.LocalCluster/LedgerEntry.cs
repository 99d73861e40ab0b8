namespace Vtorc.LocalCluster;

/// <summary>One acknowledged row of a <see cref="LedgerWriter"/>: the server that acknowledged it and the caller's phase when it was sent.</summary>
public sealed record LedgerEntry(string Server, int Phase);
