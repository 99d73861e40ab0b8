namespace Vtorc.Cli.Tests;

/// <summary>The tests of this project that share one real etcd (<see cref="EtcdFixture"/>).</summary>
[CollectionDefinition(Name)]
public sealed class EtcdCollection : ICollectionFixture<EtcdFixture>
{
    public const string Name = "etcd";
}
