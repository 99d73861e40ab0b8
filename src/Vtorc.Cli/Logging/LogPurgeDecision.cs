namespace Vtorc.Cli.Logging;

/// <summary>
/// Which log files a purge removes (the rules of go/vt/logutil/purge.go applied to our file names): only regular files
/// with one of our names, never the file being written; a file goes when its start time (from the name) is more than
/// <see cref="LogPurgeSettings.KeepByStart"/> ago or its last write more than
/// <see cref="LogPurgeSettings.KeepByLastWrite"/> ago, each rule only when its duration is non-zero.
/// </summary>
internal static class LogPurgeDecision
{
    public static IReadOnlyList<string> FilesToRemove(IEnumerable<LogFileEntry> entries, string currentFile, DateTimeOffset now, LogPurgeSettings settings)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(settings);
        var remove = new List<string>();
        foreach (var entry in entries)
        {
            if (!entry.IsRegularFile || string.Equals(entry.Path, currentFile, StringComparison.Ordinal)
                || !LogFileName.TryParseStart(Path.GetFileName(entry.Path), out var start))
            {
                continue;
            }
            var tooOld = (settings.KeepByStart > TimeSpan.Zero && now - start > settings.KeepByStart)
                || (settings.KeepByLastWrite > TimeSpan.Zero && now - entry.LastWrite > settings.KeepByLastWrite);
            if (tooOld)
            {
                remove.Add(entry.Path);
            }
        }
        return remove;
    }
}
