using System.Diagnostics;
using System.Globalization;
using Grpc.Core;
using Grpc.Net.Client;
using Tabletmanagerdata;
using Vtorc.Protocol.Rpc;
using static Tabletmanagerservice.TabletManager;

namespace Vtorc.Benchmarks.Grpc;

/// <summary>
/// Load run for our gRPC setup on grpc-dotnet: unary TabletManager.Ping round trips on loopback (the tablet client's
/// channel, <see cref="RpcChannels"/>, and the agent's server, <see cref="RpcServer"/>, in this process), for each caller count, over one channel (one HTTP/2 connection). Prints progress once a
/// second and a table of calls/s and latency percentiles.
/// Arguments: [--duration SECONDS (5)] [--count CALLS (instead of duration)] [--callers 1,64] [--payload BYTES (0)]
/// [--warmup SECONDS (1)] [--tls].
/// </summary>
public static class GrpcUnaryBenchmark
{
    private const string PingMethod = "/tabletmanagerservice.TabletManager/Ping";

    /// <summary>Answers Ping by echoing the payload, as a tablet does.</summary>
    public sealed class PingService : TabletManagerBase
    {
        public override Task<PingResponse> Ping(PingRequest request, ServerCallContext context) =>
            Task.FromResult(new PingResponse { Payload = request.Payload });
    }

    private sealed record Settings(TimeSpan Duration, long? Count, int[] Callers, int PayloadBytes, TimeSpan Warmup, bool Tls);

    private sealed record Result(int Callers, long Calls, double Seconds, double P50Micros, double P99Micros, double MaxMicros, double BytesPerCall);

    public static async Task<int> RunAsync(string[] args)
    {
        Settings settings;
        try
        {
            settings = Parse(args);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 2;
        }

        using var certificate = settings.Tls ? SelfSignedCertificate.Create() : null;
        RpcServer server;
        using (var startTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            server = await RpcServer.StartAsync(new PingService(), new RpcServerOptions { Certificate = certificate }, startTimeout.Token);
        }
        await using var stopServer = server;
        var address = (settings.Tls ? "https" : "http") + "://127.0.0.1:" + server.Port;
        using var channel = RpcChannels.Create(address, new RpcChannelOptions
        {
            TrustedCertificateAuthorities = certificate is null ? null : [certificate],
        });
        var client = new TabletManagerClient(channel);
        var request = new PingRequest { Payload = new string('p', settings.PayloadBytes) };

        Console.WriteLine($"gRPC unary benchmark: {PingMethod} on {address}, payload {settings.PayloadBytes} B, " +
            (settings.Count is { } count ? $"{count} calls" : $"{settings.Duration.TotalSeconds:0.#} s") + " per caller count");
        var results = new List<Result>();
        foreach (var callers in settings.Callers)
        {
            if (settings.Warmup > TimeSpan.Zero)
            {
                await RunScenarioAsync(client, request, callers, settings.Warmup, null, progress: false);
            }
            results.Add(await RunScenarioAsync(client, request, callers, settings.Duration, settings.Count, progress: true));
        }

        Console.WriteLine();
        Console.WriteLine("| callers | calls | seconds | calls/s | p50 µs | p99 µs | max µs | alloc B/call (client+server) |");
        Console.WriteLine("|--------:|------:|--------:|--------:|-------:|-------:|-------:|-----------------------------:|");
        foreach (var r in results)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Callers} | {r.Calls} | {r.Seconds:0.00} | {r.Calls / r.Seconds:0} | {r.P50Micros:0} | {r.P99Micros:0} | {r.MaxMicros:0} | {r.BytesPerCall:0} |"));
        }
        Console.WriteLine($"connections accepted by the server: {server.AcceptedConnectionCount}");
        return 0;
    }

    private static async Task<Result> RunScenarioAsync(
        TabletManagerClient client, PingRequest request, int callers, TimeSpan duration, long? count, bool progress)
    {
        long started = 0;
        var stopAt = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var latencies = new List<long>[callers];
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: false);
        var begin = Stopwatch.GetTimestamp();

        async Task CallerAsync(int index)
        {
            var mine = latencies[index] = new List<long>(count is { } c ? (int)Math.Min(c / callers + 1, 10_000_000) : 1 << 16);
            while (true)
            {
                if (count is { } limit ? Interlocked.Increment(ref started) > limit : Stopwatch.GetTimestamp() >= stopAt)
                {
                    return;
                }
                var t0 = Stopwatch.GetTimestamp();
                var reply = await client.PingAsync(request, deadline: DateTime.UtcNow.AddSeconds(30)).ConfigureAwait(false);
                mine.Add(Stopwatch.GetTimestamp() - t0);
                if (reply.Payload.Length != request.Payload.Length)
                {
                    throw new InvalidOperationException("Ping reply did not echo the payload");
                }
            }
        }

        var workers = Task.WhenAll(Enumerable.Range(0, callers).Select(i => Task.Run(() => CallerAsync(i))));
        while (progress && !workers.IsCompleted)
        {
            await Task.WhenAny(workers, Task.Delay(TimeSpan.FromSeconds(1)));
            var done = latencies.Sum(l => l?.Count ?? 0);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  callers={callers}: {Stopwatch.GetElapsedTime(begin).TotalSeconds:0.0} s, {done} calls"));
        }
        await workers;
        var seconds = Stopwatch.GetElapsedTime(begin).TotalSeconds;
        var allocated = GC.GetTotalAllocatedBytes(precise: false) - allocatedBefore;

        var all = latencies.SelectMany(l => l).ToArray();
        Array.Sort(all);
        double Micros(long ticks) => ticks * 1_000_000.0 / Stopwatch.Frequency;
        double Percentile(double p) => all.Length == 0 ? 0 : Micros(all[Math.Min(all.Length - 1, (int)(p * all.Length))]);
        return new Result(callers, all.Length, seconds, Percentile(0.50), Percentile(0.99), all.Length == 0 ? 0 : Micros(all[^1]),
            all.Length == 0 ? 0 : (double)allocated / all.Length);
    }

    private static Settings Parse(string[] args)
    {
        var settings = new Settings(TimeSpan.FromSeconds(5), null, [1, 64], 0, TimeSpan.FromSeconds(1), false);
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"option \"{args[i]}\" needs a value");
            settings = args[i] switch
            {
                "--duration" => settings with { Duration = TimeSpan.FromSeconds(PositiveNumber("--duration", Value())) },
                "--count" => settings with { Count = (long)PositiveNumber("--count", Value()) },
                "--callers" => settings with { Callers = [.. Value().Split(',').Select(v => (int)PositiveNumber("--callers", v))] },
                "--payload" => settings with { PayloadBytes = (int)NonNegativeNumber("--payload", Value()) },
                "--warmup" => settings with { Warmup = TimeSpan.FromSeconds(NonNegativeNumber("--warmup", Value())) },
                "--tls" => settings with { Tls = true },
                _ => throw new ArgumentException(
                    $"unknown option \"{args[i]}\"; use --duration S, --count N, --callers 1,64, --payload BYTES, --warmup S, --tls"),
            };
        }
        return settings;
    }

    private static double PositiveNumber(string option, string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v > 0
            ? v
            : throw new ArgumentException($"{option} \"{text}\" is not a positive number");

    private static double NonNegativeNumber(string option, string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= 0
            ? v
            : throw new ArgumentException($"{option} \"{text}\" is not a non-negative number");
}
