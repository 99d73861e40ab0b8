namespace Vtorc.Reparent.Durability;

/// <summary>A keyspace names a durability policy that is not registered.</summary>
public sealed class UnknownDurabilityPolicyException : Exception
{
    public UnknownDurabilityPolicyException(string policyName, IReadOnlyList<string> registeredNames)
        : base(Describe(policyName, registeredNames))
    {
        PolicyName = policyName;
        RegisteredNames = registeredNames;
    }

    public string PolicyName { get; }

    public IReadOnlyList<string> RegisteredNames { get; }

    private static string Describe(string policyName, IReadOnlyList<string> registeredNames)
    {
        string what = policyName.Length == 0 ? "\"\" (empty name)" : $"\"{policyName}\"";
        return $"Unknown durability policy {what}; registered policies: {string.Join(", ", registeredNames)}.";
    }
}
