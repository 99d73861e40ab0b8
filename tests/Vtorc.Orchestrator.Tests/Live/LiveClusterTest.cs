using Xunit.Abstractions;

namespace Vtorc.Orchestrator.Tests.Live;

/// <summary>
/// Base of the tests on a real shard watched by real daemons: each test gets its own <see cref="LiveCluster"/> (three
/// tablets unless the test starts a different one through <see cref="StartClusterAsync"/>), torn down afterwards even
/// when the test fails.
/// </summary>
[Collection(LiveOrchestratorCollection.Name)]
public abstract class LiveClusterTest(ITestOutputHelper output) : IAsyncLifetime
{
    private LiveCluster? _live;

    protected TestOutputLoggerFactory Loggers { get; } = new(output);

    protected LiveCluster Live => _live ?? throw new InvalidOperationException("not started");

    /// <summary>Whether <see cref="InitializeAsync"/> starts the default three-tablet cluster.</summary>
    protected virtual bool StartsDefaultCluster => true;

    public async Task InitializeAsync()
    {
        if (StartsDefaultCluster)
        {
            await StartClusterAsync();
        }
    }

    protected async Task<LiveCluster> StartClusterAsync(IReadOnlyList<string>? mariaDbArguments = null, int size = 3,
        IReadOnlyList<string>? cells = null, LocalCluster.AgentHosting hosting = LocalCluster.AgentHosting.InProcess,
        IReadOnlyList<Topodata.TabletType>? tabletTypes = null, IReadOnlyList<string>? agentArguments = null)
    {
        _live = await LiveCluster.StartAsync(Loggers, size, cells, mariaDbArguments, hosting, tabletTypes, agentArguments);
        return _live;
    }

    public async Task DisposeAsync()
    {
        if (_live is not null)
        {
            await _live.DisposeAsync();
        }
        Loggers.Dispose();
    }
}
