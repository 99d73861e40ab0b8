using System.Net.Http;
using System.Text.Json;

namespace Vtorc.Cli.Local;

/// <summary>Reads the problems the local daemon sees right now from its <c>/api/detection-analysis</c> endpoint.</summary>
internal static class DetectionAnalysisClient
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    /// <summary>One row: the tablet, its shard, the analysis code (e.g. DeadPrimary) and VTOrc's description.</summary>
    internal sealed record Problem(string Alias, string Keyspace, string Shard, string Analysis, string Description);

    /// <summary>The problems, or an error text saying why the endpoint could not be read (naming the URL).</summary>
    public static async Task<(IReadOnlyList<Problem>? Problems, string? Error)> ReadAsync(int httpPort, CancellationToken cancellationToken)
    {
        var url = Url(httpPort);
        using var client = new HttpClient { Timeout = Timeout };
        string body;
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(Timeout);
            using var response = await client.GetAsync(url, deadline.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return (null, $"{url} answered {(int)response.StatusCode} {response.ReasonPhrase}");
            }
            body = await response.Content.ReadAsStringAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return (null, $"{url} is not reachable ({e.Message.ReplaceLineEndings(" ")})");
        }
        try
        {
            return (Parse(body), null);
        }
        catch (JsonException e)
        {
            return (null, $"{url} did not answer with a detection-analysis document: {e.Message}");
        }
    }

    public static string Url(int httpPort) => $"http://127.0.0.1:{httpPort}/api/detection-analysis";

    /// <summary>Parses the endpoint's body: a JSON array of analyses, or <c>null</c> when there are none.</summary>
    public static IReadOnlyList<Problem> Parse(string body)
    {
        using var document = JsonDocument.Parse(body);
        if (document.RootElement.ValueKind == JsonValueKind.Null)
        {
            return [];
        }
        var problems = new List<Problem>();
        foreach (var row in document.RootElement.EnumerateArray())
        {
            problems.Add(new Problem(Text(row, "AnalyzedInstanceAlias"), Text(row, "AnalyzedKeyspace"), Text(row, "AnalyzedShard"),
                Text(row, "Analysis"), Text(row, "Description")));
        }
        return problems;
    }

    private static string Text(JsonElement row, string name) =>
        row.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() ?? "" : "";
}
