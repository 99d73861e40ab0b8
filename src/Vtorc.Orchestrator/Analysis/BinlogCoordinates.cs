using Vtorc.Replication;

namespace Vtorc.Orchestrator.Analysis;

/// <summary>A binlog file and offset as the API reports them (<c>{LogFile, LogPos, Type}</c>; Type 0 = binary log).</summary>
public sealed record BinlogCoordinates(string LogFile, long LogPos, int Type)
{
    public static BinlogCoordinates Empty { get; } = new("", 0, 0);

    /// <summary>Reads a <c>FilePos/&lt;file&gt;:&lt;offset&gt;</c> position; anything else gives <see cref="Empty"/>.</summary>
    public static BinlogCoordinates FromFilePosition(string? text)
    {
        if (string.IsNullOrEmpty(text)
            || !ReplicationPosition.TryParse(text, out var position, out _)
            || position?.File is not { } file)
        {
            return Empty;
        }
        return new BinlogCoordinates(file.File, file.Offset, 0);
    }
}
