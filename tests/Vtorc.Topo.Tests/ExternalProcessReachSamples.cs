using System.Diagnostics;

namespace Vtorc.Topo.Tests;

// Classes shaped like test classes and fixtures (none has tests, and nothing runs them) for ExternalProcessReachTests:
// each reaches Process.Start in one of the ways a real test class can, or not at all.

internal static class SampleProcessHelper
{
    public static void StartSleep() => Process.Start("/bin/sleep", "60")?.Dispose();
}

internal sealed class SampleStartsInAnAsyncLambda
{
    public async Task Run() => await Task.Run(async () =>
    {
        await Task.Yield();
        SampleProcessHelper.StartSleep();
    });
}

internal sealed class SampleProcessFixture : IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        await Task.Yield();
        SampleProcessHelper.StartSleep();
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

internal sealed class SampleTakesTheFixture(SampleProcessFixture fixture)
{
    public SampleProcessFixture Fixture => fixture;
}

internal sealed class SampleDeclaresAClassFixture : IClassFixture<SampleProcessFixture>;

[CollectionDefinition(Name)]
public sealed class SampleProcessCollection : ICollectionFixture<SampleProcessFixture>
{
    public const string Name = "sample-process-collection";
}

[Collection(SampleProcessCollection.Name)]
internal sealed class SampleInTheCollection;

internal sealed class SampleStartsNothing
{
    public async Task<int> Run()
    {
        await Task.Yield();
        return new List<int> { 1, 2 }.Sum();
    }
}
