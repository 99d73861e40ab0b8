using Vtorc.Topo.Tests.Etcd;

namespace Vtorc.Topo.Tests;

/// <summary>The guard behind <c>scripts/test --fast</c> finds each way a test class can start a process.</summary>
public sealed class ExternalProcessReachTests
{
    [Theory]
    [InlineData(typeof(SampleStartsInAnAsyncLambda))]
    [InlineData(typeof(SampleTakesTheFixture))]
    [InlineData(typeof(SampleDeclaresAClassFixture))]
    [InlineData(typeof(SampleInTheCollection))]
    public void A_process_started_directly_through_a_lambda_or_through_a_fixture_is_found(Type sample)
    {
        var chain = ExternalProcessReach.ChainToProcessStart(sample);
        Assert.NotNull(chain);
        Assert.Contains("SampleProcessHelper.StartSleep -> Process.Start", chain);
    }

    [Fact]
    public void The_etcd_fixture_is_found_through_its_collection()
    {
        var chain = ExternalProcessReach.ChainToProcessStart(typeof(RecordTests));
        Assert.NotNull(chain);
        Assert.Contains("EtcdProcess.StartAsync", chain);
    }

    [Fact]
    public void A_class_that_starts_nothing_is_not_flagged() =>
        Assert.Null(ExternalProcessReach.ChainToProcessStart(typeof(SampleStartsNothing)));
}
