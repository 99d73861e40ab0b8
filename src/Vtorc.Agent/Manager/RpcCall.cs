using Grpc.Core;

namespace Vtorc.Agent.Manager;

/// <summary>
/// The time one RPC may use: the caller's deadline (or a default when it sent none) minus a small margin, so the
/// agent answers with its own, precise error (e.g. UNAVAILABLE when mysqld hangs) before the caller's deadline
/// turns every failure into a bare DEADLINE_EXCEEDED.
/// </summary>
internal sealed class RpcCall : IDisposable
{
    private static readonly TimeSpan MinMargin = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan MaxMargin = TimeSpan.FromSeconds(1);

    private readonly CancellationTokenSource _budget;
    private readonly CancellationTokenSource _linked;
    private readonly CancellationToken _caller;

    private RpcCall(string name, DateTimeOffset end, CancellationToken caller, TimeProvider time)
    {
        Name = name;
        End = end;
        _caller = caller;
        var remaining = end - time.GetUtcNow();
        NoTimeToWork = remaining <= TimeSpan.Zero;
        _budget = new CancellationTokenSource(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, time);
        _linked = CancellationTokenSource.CreateLinkedTokenSource(caller, _budget.Token);
        Time = time;
    }

    /// <summary>The RPC's name, e.g. "FullStatus": every error message starts with it.</summary>
    public string Name { get; }

    /// <summary>When the agent stops working on this call.</summary>
    public DateTimeOffset End { get; }

    public TimeProvider Time { get; }

    /// <summary>Fires at <see cref="End"/>, or when the caller cancels or the server shuts down.</summary>
    public CancellationToken Token => _linked.Token;

    /// <summary>Time left until <see cref="End"/> (zero when past).</summary>
    public TimeSpan Remaining
    {
        get
        {
            var left = End - Time.GetUtcNow();
            return left > TimeSpan.Zero ? left : TimeSpan.Zero;
        }
    }

    /// <summary>
    /// The caller's deadline fell inside the answer margin: the call had no time for any work, so running out of it says
    /// nothing about mysqld.
    /// </summary>
    public bool NoTimeToWork { get; }

    /// <summary>True when the budget ran out while the caller was still waiting.</summary>
    public bool BudgetExpired => _budget.IsCancellationRequested && !_caller.IsCancellationRequested;

    /// <summary>The caller's deadline; null when it sent none (grpc-dotnet says so with DateTime.MaxValue).</summary>
    public static DateTimeOffset? DeadlineOf(ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Deadline == DateTime.MaxValue ? null : new DateTimeOffset(DateTime.SpecifyKind(context.Deadline, DateTimeKind.Utc));
    }

    /// <summary>The budget for a call with the given deadline (null: <paramref name="defaultTimeout"/> from now).</summary>
    public static RpcCall Start(string name, DateTimeOffset? deadline, CancellationToken caller, TimeSpan defaultTimeout, TimeProvider time)
    {
        var now = time.GetUtcNow();
        var total = deadline is { } d ? d - now : defaultTimeout;
        if (total > defaultTimeout * 100)
        {
            // A client that sends "no deadline" as a huge timeout still gets a bounded call.
            total = defaultTimeout * 100;
        }
        return new RpcCall(name, now + total - MarginFor(total), caller, time);
    }

    /// <summary>A tenth of the call's time, between 50 ms and 1 s.</summary>
    public static TimeSpan MarginFor(TimeSpan total)
    {
        var tenth = total / 10;
        return tenth < MinMargin ? MinMargin : tenth > MaxMargin ? MaxMargin : tenth;
    }

    public void Dispose()
    {
        _linked.Dispose();
        _budget.Dispose();
    }
}
