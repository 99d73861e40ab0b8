namespace Vtorc.Cli.Logging;

/// <summary>What the purge decision needs to know about one directory entry.</summary>
/// <param name="Path">Full path.</param>
/// <param name="IsRegularFile">False for links (such as <see cref="LogFileName.CurrentLink"/>), directories and the like.</param>
/// <param name="LastWrite">The file's mtime.</param>
internal sealed record LogFileEntry(string Path, bool IsRegularFile, DateTimeOffset LastWrite);
