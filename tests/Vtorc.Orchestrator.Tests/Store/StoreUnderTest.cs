using Vtorc.Orchestrator.Store;

namespace Vtorc.Orchestrator.Tests.Store;

/// <summary>A real store, in memory or in a temp directory that is removed afterwards.</summary>
public sealed class StoreUnderTest : IAsyncDisposable
{
    public static readonly DateTimeOffset T0 = new(2026, 3, 4, 5, 6, 7, TimeSpan.Zero);

    private StoreUnderTest(HistoryStore store, TempDirectory? directory, StoreOptions options)
    {
        Store = store;
        Directory = directory;
        Options = options;
    }

    public HistoryStore Store { get; private set; }
    public TempDirectory? Directory { get; }
    public StoreOptions Options { get; }

    public static async Task<StoreUnderTest> OpenAsync(bool fileBacked, Func<StoreOptions, StoreOptions>? configure = null)
    {
        var directory = fileBacked ? new TempDirectory() : null;
        var options = new StoreOptions { SqliteDataFile = directory is null ? "" : directory.File("vtorc.db") };
        if (configure is not null)
            options = configure(options);
        return new StoreUnderTest(await HistoryStore.OpenAsync(options, null, CancellationToken.None), directory, options);
    }

    /// <summary>Closes the store and opens it again from the same options (what a daemon restart does).</summary>
    public async Task ReopenAsync()
    {
        await Store.DisposeAsync();
        Store = await HistoryStore.OpenAsync(Options, null, CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        Directory?.Dispose();
    }
}
