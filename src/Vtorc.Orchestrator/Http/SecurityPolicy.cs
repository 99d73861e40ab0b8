namespace Vtorc.Orchestrator.Http;

/// <summary>
/// Vitess's built-in <c>--security-policy</c> values: empty allows everything; <c>read-only</c> allows the
/// MONITORING and DEBUGGING roles and denies ADMIN; <c>deny-all</c> denies every role. Endpoints Vitess registers
/// without an ACL check (<see cref="AclRole.Public"/>) stay reachable under every policy.
/// </summary>
public sealed class SecurityPolicy
{
    public const string AllowAllName = "";
    public const string ReadOnlyName = "read-only";
    public const string DenyAllName = "deny-all";

    private SecurityPolicy(string name) => Name = name;

    public string Name { get; }

    public static SecurityPolicy AllowAll { get; } = new(AllowAllName);

    public static SecurityPolicy ReadOnly { get; } = new(ReadOnlyName);

    public static SecurityPolicy DenyAll { get; } = new(DenyAllName);

    /// <exception cref="ArgumentException">Not one of the three names; the message quotes the value.</exception>
    public static SecurityPolicy Parse(string? name) => (name ?? "") switch
    {
        AllowAllName => AllowAll,
        ReadOnlyName => ReadOnly,
        DenyAllName => DenyAll,
        _ => throw new ArgumentException(
            $"invalid value \"{name}\" for --security-policy: expected \"\", \"{ReadOnlyName}\" or \"{DenyAllName}\"", nameof(name)),
    };

    /// <summary>Why a request needing <paramref name="role"/> is refused (Vitess's error text), or null when allowed.</summary>
    public string? Deny(AclRole role)
    {
        if (role == AclRole.Public)
        {
            return null;
        }
        return Name switch
        {
            DenyAllName => "not allowed: deny-all security-policy enforced",
            ReadOnlyName when role == AclRole.Admin => "not allowed: read-only security-policy enforced",
            _ => null,
        };
    }

    /// <summary>The ADMIN actions (enable/disable recoveries, ack) are allowed under this policy.</summary>
    public bool AllowsAdmin => Deny(AclRole.Admin) is null;

    public override string ToString() => Name.Length == 0 ? "allow all" : Name;
}
