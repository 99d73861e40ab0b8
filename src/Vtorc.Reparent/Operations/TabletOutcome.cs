using Grpc.Core;

namespace Vtorc.Reparent.Operations;

/// <summary>The result of one per-tablet step: a value, or the error that step ended with.</summary>
internal sealed record TabletOutcome<T>(string Alias, T? Value, Exception? Error)
{
    public bool Succeeded => Error is null;

    public string ErrorText => Error switch
    {
        null => "",
        OperationCanceledException => "cancelled (not waited for)",
        _ => Error.Message,
    };
}

/// <summary>Runs per-tablet steps so that a tablet's failure becomes its outcome rather than an exception.</summary>
internal static class TabletOutcomes
{
    public static async Task<TabletOutcome<T>> CaptureAsync<T>(string alias, Func<Task<T>> call)
    {
        try
        {
            return new TabletOutcome<T>(alias, await call().ConfigureAwait(false), null);
        }
        catch (Exception e) when (e is RpcException or OperationCanceledException or ReparentOperationException
                                      or Replication.PositionParseException)
        {
            return new TabletOutcome<T>(alias, default, e);
        }
    }

    public static Task<TabletOutcome<bool>> CaptureAsync(string alias, Func<Task> call) =>
        CaptureAsync(alias, async () =>
        {
            await call().ConfigureAwait(false);
            return true;
        });

    /// <summary>"a: error; b: error" for a failure message.</summary>
    public static string Describe<T>(IEnumerable<TabletOutcome<T>> failures) =>
        string.Join("; ", failures.Select(f => $"{f.Alias}: {f.ErrorText}"));
}
