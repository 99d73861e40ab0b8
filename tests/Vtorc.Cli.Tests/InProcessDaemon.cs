using System.Net;

namespace Vtorc.Cli.Tests;

/// <summary>The root `vtorc` command run in-process with a given command line, and an HTTP client for its --port.</summary>
public sealed class InProcessDaemon : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new(TimeSpan.FromSeconds(180));
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();

    private InProcessDaemon(IReadOnlyList<string> args, int port)
    {
        Run = VtorcApp.RunAsync(args, TextWriter.Synchronized(_output), TextWriter.Synchronized(_error), _stop.Token);
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(10) };
    }

    public Task<int> Run { get; }

    public HttpClient Http { get; }

    public string Error => _error.ToString();

    /// <summary>Starts the daemon and waits until <c>/debug/health</c> answers 200.</summary>
    public static async Task<InProcessDaemon> StartHealthyAsync(IReadOnlyList<string> args, int port)
    {
        var daemon = new InProcessDaemon(args, port);
        await Poll.UntilAsync(async () =>
        {
            Assert.False(daemon.Run.IsCompleted, $"the daemon exited early ({(daemon.Run.IsCompleted ? daemon.Run.Result : 0)}): {daemon.Error}");
            try
            {
                return (await daemon.Http.GetAsync("debug/health")).StatusCode == HttpStatusCode.OK;
            }
            catch (HttpRequestException)
            {
                return false; // not listening yet
            }
        }, TimeSpan.FromSeconds(90), "/debug/health answers 200");
        return daemon;
    }

    /// <summary>Stops the daemon as SIGTERM does and returns its exit code.</summary>
    public async Task<int> StopAsync()
    {
        await _stop.CancelAsync();
        return await Run;
    }

    public async ValueTask DisposeAsync()
    {
        if (!Run.IsCompleted)
        {
            await StopAsync();
        }
        Http.Dispose();
        _stop.Dispose();
    }
}
