using System.Text;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Vtorc.Orchestrator.Analysis;
using Vtorc.Orchestrator.Recovery;
using Vtorc.Orchestrator.Store;

namespace Vtorc.Orchestrator.Http.Ui;

/// <summary>
/// <c>/api/ui/events</c>: Server-Sent Events telling open pages what to fetch again. One loop looks at the fleet every
/// <see cref="HttpServerOptions.UiEventsInterval"/> while at least one page listens (nothing is computed otherwise),
/// compares a <see cref="FleetFingerprint"/> with the previous one and sends <c>change</c> with
/// <c>{"Overview":bool,"Shards":[...],"AllShards":bool,"Switches":bool}</c> (the first look after no page listened
/// announces everything: the pages' own fetches may predate it). The loop never waits for a client: each has a small bounded
/// buffer, and a client whose buffer is full loses its queued events and gets one <c>resync</c> instead (refetch
/// everything). A comment line goes out every heartbeat. A client that goes away is dropped; when the daemon
/// shuts down or the server stops, every stream gets <c>shutdown</c> and ends.
/// </summary>
internal sealed class FleetChangeFeed : IAsyncDisposable
{
    /// <summary>Events one client may have queued before it is told to resync.</summary>
    public const int ClientBuffer = 16;

    /// <summary>More changed shards than this in one event are sent as <c>AllShards</c>.</summary>
    public const int MaxShardsPerEvent = 50;

    /// <summary>The <c>change</c> event's data that makes a page fetch everything again.</summary>
    internal static readonly string Everything = UiJson.Serialize(new { Overview = true, Shards = Array.Empty<string>(), AllShards = true, Switches = true });

    private readonly IOrchestratorQueries _queries;
    private readonly TimeSpan _interval;
    private readonly TimeSpan _heartbeat;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly HashSet<Client> _clients = [];
    private readonly CancellationTokenSource _stopping = new();
    private Task _loop = Task.CompletedTask;
    private bool _shutDown;
    private long _overflows;

    public FleetChangeFeed(IOrchestratorQueries queries, TimeSpan interval, TimeSpan heartbeat, ILogger logger)
    {
        _queries = queries;
        _interval = interval > TimeSpan.Zero ? interval : TimeSpan.FromSeconds(1);
        _heartbeat = heartbeat > TimeSpan.Zero ? heartbeat : TimeSpan.FromSeconds(15);
        _logger = logger;
    }

    /// <summary>Open streams right now.</summary>
    public int Clients
    {
        get
        {
            lock (_lock)
            {
                return _clients.Count;
            }
        }
    }

    /// <summary>How many times a client's buffer was full and its queued events were dropped for a resync.</summary>
    public long Overflows => Interlocked.Read(ref _overflows);

    public void Start() => _loop = Task.Run(() => RunAsync(_stopping.Token));

    /// <summary>Serves one stream until the client goes, the daemon shuts down or the server stops.</summary>
    /// <remarks>The request deadline every other endpoint gets does not apply: a stream lasts as long as the page.</remarks>
    public async Task ServeAsync(HttpContext context)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        response.Headers["X-Accel-Buffering"] = "no";
        var client = new Client();
        bool ended;
        lock (_lock)
        {
            ended = _shutDown;
            if (!ended)
            {
                _clients.Add(client);
            }
        }
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        var token = linked.Token;
        try
        {
            // "hello" first: the page fetches what it shows after the stream is open, so nothing falls in between.
            await WriteAsync(response, "retry: 2000\n\n" + (ended ? Event("shutdown", "{}") : Event("hello", "{}")), token).ConfigureAwait(false);
            if (ended)
            {
                return;
            }
            var reader = client.Events.Reader;
            while (await reader.WaitToReadAsync(token).ConfigureAwait(false))
            {
                if (Interlocked.Exchange(ref client.Overflowed, 0) == 1)
                {
                    while (reader.TryRead(out _))
                    {
                    }
                    await WriteAsync(response, Event("resync", "{}"), token).ConfigureAwait(false);
                    continue;
                }
                var batch = new StringBuilder();
                while (reader.TryRead(out var message))
                {
                    batch.Append(message);
                }
                await WriteAsync(response, batch.ToString(), token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // The client went away or the server stops.
        }
        catch (IOException)
        {
            // The connection broke while writing.
        }
        finally
        {
            lock (_lock)
            {
                _clients.Remove(client);
            }
        }
    }

    private static async Task WriteAsync(HttpResponse response, string text, CancellationToken token)
    {
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), token).ConfigureAwait(false);
        await response.Body.FlushAsync(token).ConfigureAwait(false);
    }

    private static string Event(string name, string data) => $"event: {name}\ndata: {data}\n\n";

    private void Publish(string message)
    {
        lock (_lock)
        {
            foreach (var client in _clients)
            {
                if (!client.Events.Writer.TryWrite(message) && Interlocked.Exchange(ref client.Overflowed, 1) == 0)
                {
                    Interlocked.Increment(ref _overflows);
                }
            }
        }
    }

    /// <summary>Sends <c>shutdown</c> to every stream and ends them; later streams end at once.</summary>
    private void ShutDown()
    {
        lock (_lock)
        {
            if (_shutDown)
            {
                return;
            }
            _shutDown = true;
            foreach (var client in _clients)
            {
                // Past a full buffer the stream still ends: completion is what the writer waits for.
                client.Events.Writer.TryWrite(Event("shutdown", "{}"));
                client.Events.Writer.TryComplete();
            }
        }
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(_interval);
        FleetFingerprint? previous = null;
        var lastHeartbeat = DateTimeOffset.UtcNow;
        try
        {
            while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false))
            {
                if (_queries.IsShuttingDown)
                {
                    ShutDown();
                    return;
                }
                if (Clients == 0)
                {
                    previous = null;
                    continue;
                }
                try
                {
                    var current = await FingerprintAsync(stopping).ConfigureAwait(false);
                    // The first look since pages listen has nothing to compare with, yet a page may have fetched before
                    // a change this look already sees (a page fetches as it loads, before its stream is even open):
                    // compared with nothing, that change would never be announced, so the first look announces everything.
                    var change = previous is null ? Everything : Describe(previous, current);
                    if (change is not null)
                    {
                        Publish(Event("change", change));
                    }
                    previous = current;
                }
                catch (Exception e) when (!stopping.IsCancellationRequested)
                {
                    // Whatever failed (a store read past its own deadline included), the loop goes on: a dead loop would
                    // leave every open page showing "live" over data that no longer changes.
                    _logger.PageEventsFleetLookFailed(e.Message);
                }
                if (DateTimeOffset.UtcNow - lastHeartbeat >= _heartbeat)
                {
                    lastHeartbeat = DateTimeOffset.UtcNow;
                    // A comment for proxies, and an event the page can see (EventSource hides comments).
                    Publish(": heartbeat\nevent: heartbeat\ndata: {}\n\n");
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    private async Task<FleetFingerprint> FingerprintAsync(CancellationToken cancellationToken)
    {
        // The recovery tick's analysis: looking each second must not cost a second analysis of the whole fleet.
        var fleet = _queries.RecentFleetAnalysis();
        bool? disabled = null;
        IReadOnlyList<RecoveryRecord> recent = [];
        IReadOnlyList<RecoveryDisable> disables = [];
        try
        {
            // The switch list holds the global switch too: one store read, not two, each second a page listens.
            disables = await _queries.ReadRecoveryDisablesAsync(cancellationToken).ConfigureAwait(false);
            disabled = disables.Any(d => d.Scope.Kind == RecoveryScopeKind.Global);
            recent = await _queries.ReadRecentRecoveriesAsync(0, cancellationToken).ConfigureAwait(false);
        }
        catch (StoreException)
        {
            // The pages show the store's error themselves; the topology part still drives events.
        }
        return FleetFingerprint.Of(fleet.Snapshots, fleet.Results, _queries.RecoveryOutcomes, recent, disabled, disables, _queries.OperatorReparentRevisions);
    }

    /// <summary>The <c>change</c> event's data, or null when nothing the page shows changed.</summary>
    internal static string? Describe(FleetFingerprint previous, FleetFingerprint current)
    {
        var shards = current.ChangedShardsSince(previous);
        // A switch can cover any shard (a keyspace, the fleet): every view shows it.
        bool switches = previous.Switches != current.Switches;
        bool overview = switches || previous.Summary != current.Summary;
        if (!overview && shards.Count == 0)
        {
            return null;
        }
        bool all = switches || shards.Count > MaxShardsPerEvent;
        return UiJson.Serialize(new { Overview = overview, Shards = all ? [] : shards, AllShards = all, Switches = switches });
    }

    public async ValueTask DisposeAsync()
    {
        ShutDown();
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stopping.Dispose();
    }

    private sealed class Client
    {
        public readonly Channel<string> Events = Channel.CreateBounded<string>(new BoundedChannelOptions(ClientBuffer)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });

        public int Overflowed;
    }
}
