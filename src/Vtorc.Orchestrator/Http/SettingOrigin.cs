namespace Vtorc.Orchestrator.Http;

/// <summary>
/// Where one setting's value in force came from, for <c>/api/config?sources=true</c>: <c>default</c>, <c>flag</c>
/// (the command line) or <c>config file</c>; <paramref name="GivenText"/> is the value as written there (null for a
/// default); <paramref name="Dynamic"/> says whether a change in the config file applies without a restart.
/// </summary>
public sealed record SettingOrigin(string Source, string? GivenText, bool Dynamic);
