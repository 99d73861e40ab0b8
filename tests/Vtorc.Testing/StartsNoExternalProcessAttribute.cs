namespace Vtorc.Testing;

/// <summary>
/// Says that a test class whose code can reach <see cref="System.Diagnostics.Process.Start()"/> (so
/// <see cref="ExternalProcessReach"/> flags it) never gets there in its tests, and why; it then stays in
/// <c>scripts/test --fast</c>. Example: tests that only parse flags through the whole <c>vtorc</c> command tree,
/// which also holds <c>vtorc local up</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class StartsNoExternalProcessAttribute(string why) : Attribute
{
    public string Why { get; } = why;
}
