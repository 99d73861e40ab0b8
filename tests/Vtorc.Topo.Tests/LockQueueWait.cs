namespace Vtorc.Topo.Tests;

/// <summary>Waiting, with a deadline, for contenders to queue on a lock.</summary>
internal static class LockQueueWait
{
    /// <summary>Polls the queue of <paramref name="resourcePath"/> until it has <paramref name="count"/> entries.</summary>
    public static async Task<IReadOnlyList<LockEntry>> ForCountAsync(TopoServer server, string resourcePath, int count)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var queue = await server.Locks.GetQueueAsync(resourcePath, deadline.Token);
            if (queue.Count == count)
            {
                return queue;
            }

            await Task.Delay(20, deadline.Token);
        }
    }
}
