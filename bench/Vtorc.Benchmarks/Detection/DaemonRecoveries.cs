using System.Globalization;
using System.Text.Json;

namespace Vtorc.Benchmarks.Detection;

/// <summary>One recovery as the orchestrator's <c>/api/recoveries</c> shows it.</summary>
internal sealed record DaemonRecovery(string Analysis, string Alias, string SuccessorAlias, DateTimeOffset Start, DateTimeOffset? End, bool IsSuccessful)
{
    public string Describe(DateTimeOffset origin)
    {
        var end = End is { } e ? string.Create(CultureInfo.InvariantCulture, $"ended +{(e - origin).TotalSeconds:0.000} s") : "still active";
        var outcome = IsSuccessful ? $"successor {(SuccessorAlias.Length > 0 ? SuccessorAlias : "none")}" : "not successful";
        return string.Create(CultureInfo.InvariantCulture, $"{Analysis} on {Alias}: started +{(Start - origin).TotalSeconds:0.000} s, {end}, {outcome}");
    }
}

/// <summary>Reads the recoveries an orchestrator daemon recorded (its HTTP API on loopback), for the benchmark's reports.</summary>
internal static class DaemonRecoveries
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Recoveries that started at or after <paramref name="since"/>, oldest first; empty when the daemon does not answer.</summary>
    public static async Task<IReadOnlyList<DaemonRecovery>> SinceAsync(int httpPort, DateTimeOffset since, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = RequestTimeout };
        try
        {
            var text = await http.GetStringAsync(new Uri($"http://127.0.0.1:{httpPort.ToString(CultureInfo.InvariantCulture)}/api/recoveries"), cancellationToken)
                .ConfigureAwait(false);
            using var json = JsonDocument.Parse(text);
            return [.. json.RootElement.EnumerateArray().Select(Parse).Where(r => r.Start >= since).OrderBy(r => r.Start)];
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or InvalidOperationException or FormatException
                                      && !cancellationToken.IsCancellationRequested)
        {
            Console.Error.WriteLine($"  recoveries of the daemon on port {httpPort.ToString(CultureInfo.InvariantCulture)} could not be read: {e.Message}");
            return [];
        }
    }

    /// <summary>
    /// Like <see cref="SinceAsync"/>, but waits (at most <paramref name="bound"/>) until none of them is active, so the
    /// report shows how each ended; an emergency reparent may still be finishing its last steps when the shard already works.
    /// </summary>
    public static async Task<IReadOnlyList<DaemonRecovery>> EndedSinceAsync(int httpPort, DateTimeOffset since, TimeSpan bound, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + bound;
        while (true)
        {
            var recoveries = await SinceAsync(httpPort, since, cancellationToken).ConfigureAwait(false);
            if (recoveries.All(r => r.End is not null) || DateTime.UtcNow >= deadline)
            {
                return recoveries;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken).ConfigureAwait(false);
        }
    }

    private static DaemonRecovery Parse(JsonElement recovery)
    {
        string Text(string name) => Property(recovery, name) is { ValueKind: JsonValueKind.String } p ? p.GetString() ?? "" : "";
        DateTimeOffset? Time(string name) => Property(recovery, name) is { ValueKind: JsonValueKind.String } p
            ? DateTimeOffset.Parse(p.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)
            : null;
        return new DaemonRecovery(Text("Analysis"), Text("Alias"), Text("SuccessorAlias"), Time("StartRecovery") ?? DateTimeOffset.MinValue,
            Time("EndRecovery"), Property(recovery, "IsSuccessful") is { ValueKind: JsonValueKind.True });
    }

    private static JsonElement? Property(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object
            ? element.EnumerateObject().Where(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(p => (JsonElement?)p.Value).FirstOrDefault()
            : null;
}
