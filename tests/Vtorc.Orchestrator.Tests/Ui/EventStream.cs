using System.Net.Http;

namespace Vtorc.Orchestrator.Tests.Ui;

/// <summary>A Server-Sent Events stream read line by line, each read bounded by a deadline.</summary>
internal sealed class EventStream : IDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private EventStream(HttpResponseMessage response, StreamReader reader)
    {
        _response = response;
        _reader = reader;
    }

    public static async Task<EventStream> OpenAsync(HttpClient client, string path = "/api/ui/events")
    {
        var response = await client.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        if (response.Content.Headers.ContentType?.MediaType != "text/event-stream")
        {
            throw new InvalidOperationException($"{path} answered {response.Content.Headers.ContentType}, not text/event-stream");
        }
        return new EventStream(response, new StreamReader(await response.Content.ReadAsStreamAsync()));
    }

    public async Task<string?> ReadLineAsync(TimeSpan deadline)
    {
        using var timeout = new CancellationTokenSource(deadline);
        return await _reader.ReadLineAsync(timeout.Token);
    }

    /// <summary>Reads lines until one matches; fails when the stream ends or the deadline passes first.</summary>
    public async Task<string> ReadUntilAsync(Func<string, bool> match, TimeSpan deadline)
    {
        using var timeout = new CancellationTokenSource(deadline);
        var seen = new List<string>();
        try
        {
            while (await _reader.ReadLineAsync(timeout.Token) is { } line)
            {
                if (match(line))
                {
                    return line;
                }
                seen.Add(line);
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new TimeoutException($"no matching line within {deadline}; read: {string.Join(" | ", seen.TakeLast(20))}");
        }
        throw new EndOfStreamException($"the stream ended without a matching line; read: {string.Join(" | ", seen.TakeLast(20))}");
    }

    /// <summary>Reads until the server ends the stream; fails when the deadline passes first.</summary>
    public async Task ReadToEndAsync(TimeSpan deadline)
    {
        using var timeout = new CancellationTokenSource(deadline);
        while (await _reader.ReadLineAsync(timeout.Token) is not null)
        {
        }
    }

    public void Dispose()
    {
        _reader.Dispose();
        _response.Dispose();
    }
}
