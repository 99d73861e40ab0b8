using System.Text.Json;

namespace Vtorc.Cli.Local;

/// <summary>Reads the local daemon's <c>/api/recovery-attempts</c>: why each current problem is not repaired yet.</summary>
internal static class RecoveryAttemptsClient
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    /// <summary>The latest attempt for one problem: outcome (Skipped, Failed, …), reason for a skip, and the daemon's words.</summary>
    internal sealed record Attempt(string Outcome, string Reason, string Message);

    /// <summary>By (tablet alias, analysis code); empty when the endpoint cannot be read (status still shows the problems).</summary>
    public static async Task<IReadOnlyDictionary<(string Alias, string Analysis), Attempt>> ReadAsync(int httpPort, CancellationToken cancellationToken)
    {
        using var client = new HttpClient { Timeout = Timeout };
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(Timeout);
            var body = await client.GetStringAsync($"http://127.0.0.1:{httpPort}/api/recovery-attempts", deadline.Token).ConfigureAwait(false);
            return Parse(body);
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or InvalidOperationException
                                   || e is OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return new Dictionary<(string, string), Attempt>();
        }
    }

    public static IReadOnlyDictionary<(string Alias, string Analysis), Attempt> Parse(string body)
    {
        using var document = JsonDocument.Parse(body);
        var attempts = new Dictionary<(string, string), Attempt>();
        if (document.RootElement.ValueKind != JsonValueKind.Array)
        {
            return attempts;
        }
        foreach (var row in document.RootElement.EnumerateArray())
        {
            attempts[(Text(row, "TabletAlias"), Text(row, "Analysis"))] = new Attempt(Text(row, "Outcome"), Text(row, "Reason"), Text(row, "Message"));
        }
        return attempts;
    }

    private static string Text(JsonElement row, string name) =>
        row.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() ?? "" : "";
}
