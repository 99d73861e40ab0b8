namespace Vtorc.Orchestrator.Snapshot;

/// <summary>A snapshot file that cannot be read; <see cref="Path"/> names the JSON field that was wrong.</summary>
public sealed class SnapshotFormatException : FormatException
{
    public SnapshotFormatException(string path, string problem, Exception? inner = null)
        : base(path.Length == 0 ? problem : $"{path}: {problem}", inner)
    {
        Path = path;
        Problem = problem;
    }

    /// <summary>JSON path of the offending value, e.g. <c>shards[0].observations[2].last_seen</c>; empty for the document.</summary>
    public string Path { get; }

    public string Problem { get; }
}
