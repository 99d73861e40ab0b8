using System.Collections.Concurrent;
using Grpc.Core;
using Query;
using Vtorc.LocalCluster;

namespace Vtorc.Agent.Tests.Agent;

/// <summary>Reads one member's health stream in the background and keeps every snapshot, for tests to wait on.</summary>
internal sealed class HealthStreamRecorder : IAsyncDisposable
{
    private readonly CancellationTokenSource _cancel = new();
    private readonly ConcurrentQueue<StreamHealthResponse> _received = new();
    private readonly Task _reader;

    public HealthStreamRecorder(AgentMember member) => _reader = Task.Run(() => ReadAsync(member));

    public IReadOnlyList<StreamHealthResponse> Received => _received.ToArray();

    /// <summary>How the stream ended: null while it runs or when it ended normally, else the exception.</summary>
    public Exception? Failure { get; private set; }

    public bool Ended => _reader.IsCompleted;

    public Task Completion => _reader;

    private async Task ReadAsync(AgentMember member)
    {
        try
        {
            await foreach (var snapshot in member.StreamHealthAsync(_cancel.Token))
            {
                _received.Enqueue(snapshot);
            }
        }
        catch (Exception e) when (e is RpcException or OperationCanceledException)
        {
            Failure = e;
        }
    }

    /// <summary>The first snapshot received from now on (or already received after <paramref name="after"/> of them) that matches.</summary>
    public async Task<StreamHealthResponse> WaitForAsync(Func<StreamHealthResponse, bool> match, string what, int after = 0)
    {
        StreamHealthResponse? found = null;
        await Vtorc.Testing.Poll.UntilAsync(() =>
        {
            found = _received.Skip(after).FirstOrDefault(match);
            if (found is null && Ended)
            {
                throw new InvalidOperationException($"the health stream ended ({Failure?.Message ?? "normally"}) before: {what}");
            }
            return Task.FromResult(found is not null);
        }, TimeSpan.FromSeconds(60), what);
        return found!;
    }

    /// <summary>Cancels the stream (as a client going away does) and waits for the reader to end.</summary>
    public async Task CancelAsync()
    {
        await _cancel.CancelAsync();
        await _reader.WaitAsync(TimeSpan.FromSeconds(30));
    }

    public async ValueTask DisposeAsync()
    {
        await _cancel.CancelAsync();
        try
        {
            await _reader.WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            // Reported by the test that needed it.
        }
        _cancel.Dispose();
    }
}
