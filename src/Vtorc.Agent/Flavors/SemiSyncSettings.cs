namespace Vtorc.Agent.Flavors;

/// <summary>
/// How a primary that waits for semi-sync acknowledgements is configured: it waits for ever (even with no replica
/// connected) and never falls back to asynchronous commit, so a commit acknowledged to a client always exists on a
/// replica (docs/reliability.md; Vitess writes the same values into its my.cnf templates, config/mycnf/*.cnf).
/// </summary>
public static class SemiSyncSettings
{
    /// <summary>
    /// The semi-sync timeout in milliseconds (about 31 million years): Vitess's value. MariaDB 10.11 accepts up to
    /// 2^64-1 on 64-bit builds and keeps waiting with either.
    /// </summary>
    public const ulong InfiniteTimeoutMilliseconds = 1_000_000_000_000_000_000UL;
}
