namespace Vtorc.Orchestrator.Http;

/// <summary>A node record of <see cref="HealthStatus"/> (VTOrc's <c>NodeHealth</c> fields).</summary>
internal sealed record NodeHealth
{
    public string Hostname { get; init; } = "";

    public string Token { get; init; } = "";

    public string AppVersion { get; init; } = "";

    public string FirstSeenActive { get; init; } = "";

    public string LastSeenActive { get; init; } = "";

    public string ExtraInfo { get; init; } = "";

    public string Command { get; init; } = "";

    public string DBBackend { get; init; } = "";

    public DateTimeOffset LastReported { get; init; }
}
