namespace Vtorc.Cli.Logging;

/// <summary>
/// <c>--keep-logs</c>, <c>--keep-logs-by-mtime</c> and <c>--purge-logs-interval</c>: how long our log files in
/// <c>--log_dir</c> are kept, by the start time in their name and by their last write, and how often old ones are
/// removed. Zero keeps files for ever by that measure; with both zero nothing is ever removed.
/// </summary>
internal sealed record LogPurgeSettings(TimeSpan KeepByStart, TimeSpan KeepByLastWrite, TimeSpan Interval)
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromHours(1);

    public bool RemovesAnything => KeepByStart > TimeSpan.Zero || KeepByLastWrite > TimeSpan.Zero;
}
