using Xunit.Sdk;

namespace Vtorc.Testing;

/// <summary>
/// Marks a test class that starts or needs a process outside the test host: etcd, MariaDB, a <c>vtorc</c> agent or
/// daemon process, <c>ip</c>/<c>nft</c> for network namespaces, a browser. It gives the xunit trait
/// <c>Needs=external</c>, which <c>scripts/test --fast</c> filters out. <see cref="ExternalProcessReach"/> finds the
/// classes that need it, and each test project has a test that fails when one lacks it.
/// </summary>
[TraitDiscoverer("Vtorc.Testing.NeedsExternalProcessTraitDiscoverer", "Vtorc.Testing")]
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class NeedsExternalProcessAttribute : Attribute, ITraitAttribute
{
    public const string TraitName = "Needs";
    public const string TraitValue = "external";
}
