using System.CommandLine;
using Vtorc.Orchestrator.Analysis;
using Vtorc.Orchestrator.Json;
using Vtorc.Orchestrator.Snapshot;

namespace Vtorc.Cli.Analyze;

/// <summary>
/// `vtorc analyze --snapshot FILE [--now TIME]`: replays the detection analysis over a snapshot file (what
/// <c>/api/snapshot</c> exports) and prints it in the <c>/api/detection-analysis</c> shape, offline. Shards the
/// daemon would skip (no durability policy, snapshot keyspace) are named on standard error.
/// </summary>
internal static class AnalyzeCommand
{
    public static Command Build(TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var command = new Command("analyze",
            "Print the detection analysis of a snapshot file (from /api/snapshot) in the /api/detection-analysis JSON shape.");
        var snapshot = new Option<string>("--snapshot") { Description = "the snapshot file to analyse", Required = true };
        var now = new Option<string?>("--now")
        {
            Description = "the analysis time, RFC 3339 (e.g. 2026-01-02T15:04:05Z); default: the snapshot's captured_at",
        };
        command.Add(snapshot);
        command.Add(now);
        command.SetAction(parseResult => Run(parseResult.GetValue(snapshot)!, parseResult.GetValue(now), output, error));
        return command;
    }

    private static int Run(string path, string? nowText, TextWriter output, TextWriter error)
    {
        DateTimeOffset? now = null;
        if (nowText is not null)
        {
            if (!Rfc3339Time.TryParse(nowText, out var parsed))
            {
                error.WriteLine($"vtorc analyze: --now \"{nowText}\" is not an RFC 3339 time (e.g. 2026-01-02T15:04:05Z)");
                return 1;
            }
            now = parsed;
        }

        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            error.WriteLine($"vtorc analyze: cannot read snapshot file \"{path}\": {OneLine(e.Message)}");
            return 1;
        }

        ImportedSnapshot imported;
        try
        {
            imported = ShardSnapshotDocument.Import(json);
        }
        catch (SnapshotFormatException e)
        {
            error.WriteLine($"vtorc analyze: snapshot file \"{path}\" is not valid: {OneLine(e.Message)}");
            return 1;
        }

        var results = DetectionAnalyzer.AnalyzeAll(imported.Shards, imported.Settings, now ?? imported.CapturedAt);
        foreach (var result in results.Where(r => r.IsSkipped))
        {
            error.WriteLine($"vtorc analyze: shard {result.Keyspace}/{result.Shard} skipped: {result.SkipMessage}");
        }
        output.WriteLine(DetectionAnalysisJson.Write(DetectionAnalysisJson.Select(results, null, null)));
        return 0;
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ");
}
