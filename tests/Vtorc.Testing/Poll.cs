using Xunit;

namespace Vtorc.Testing;

/// <summary>Waits for a condition by polling, failing with a message after a deadline. No fixed sleeps.</summary>
public static class Poll
{
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan deadline, string what)
    {
        using var timeout = new CancellationTokenSource(deadline);
        while (!await condition())
        {
            if (timeout.IsCancellationRequested)
            {
                Assert.Fail($"timed out after {deadline.TotalSeconds:0.#} s waiting until {what}");
            }
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), timeout.Token);
            }
            catch (OperationCanceledException)
            {
                // Check the condition one last time before failing.
            }
        }
    }
}
