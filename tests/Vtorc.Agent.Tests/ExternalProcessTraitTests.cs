namespace Vtorc.Agent.Tests;

/// <summary>
/// Keeps `scripts/test --fast` honest: every test class of this project that starts a process outside the test host
/// (directly, through a helper or through a fixture) is marked <see cref="NeedsExternalProcessAttribute"/>.
/// </summary>
public sealed class ExternalProcessTraitTests
{
    [Fact]
    public void Every_test_class_that_starts_an_external_process_is_marked() =>
        ExternalProcessReach.AssertMarked(typeof(ExternalProcessTraitTests).Assembly);
}
