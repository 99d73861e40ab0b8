using Vtorc.Orchestrator.Http;

namespace Vtorc.Orchestrator.Tests.Http;

public sealed class SecurityPolicyTests
{
    [Theory]
    [InlineData("", AclRole.Admin, null)]
    [InlineData("", AclRole.Monitoring, null)]
    [InlineData("read-only", AclRole.Monitoring, null)]
    [InlineData("read-only", AclRole.Debugging, null)]
    [InlineData("read-only", AclRole.Admin, "not allowed: read-only security-policy enforced")]
    [InlineData("deny-all", AclRole.Monitoring, "not allowed: deny-all security-policy enforced")]
    [InlineData("deny-all", AclRole.Debugging, "not allowed: deny-all security-policy enforced")]
    [InlineData("deny-all", AclRole.Admin, "not allowed: deny-all security-policy enforced")]
    [InlineData("deny-all", AclRole.Public, null)]
    [InlineData("read-only", AclRole.Public, null)]
    public void Denies_roles_as_the_Vitess_policies_do(string policy, AclRole role, string? expected) =>
        Assert.Equal(expected, SecurityPolicy.Parse(policy).Deny(role));

    [Fact]
    public void Unknown_policy_is_refused_with_the_flag_and_value_named()
    {
        var error = Assert.Throws<ArgumentException>(() => SecurityPolicy.Parse("readonly"));
        Assert.Contains("--security-policy", error.Message);
        Assert.Contains("\"readonly\"", error.Message);
    }

    [Fact]
    public void Only_the_allow_all_policy_allows_admin_actions()
    {
        Assert.True(SecurityPolicy.AllowAll.AllowsAdmin);
        Assert.False(SecurityPolicy.ReadOnly.AllowsAdmin);
        Assert.False(SecurityPolicy.DenyAll.AllowsAdmin);
    }
}
