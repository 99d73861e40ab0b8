namespace Vtorc.Agent.Flavors;

/// <summary>The ReplicationState numbers of Status.io_state / sql_state (Vitess proto/replicationdata.proto).</summary>
internal static class ReplicationThreadState
{
    public const int Unknown = 0;
    public const int Stopped = 1;
    public const int Connecting = 2;
    public const int Running = 3;

    /// <summary>"Yes"/"On"/"True" → Running, "No"/"Off"/"False" → Stopped, "Connecting" → Connecting, else Unknown.</summary>
    public static int Parse(string? text)
    {
        var value = text?.Trim() ?? "";
        if (value.Equals("Yes", StringComparison.OrdinalIgnoreCase) || value.Equals("On", StringComparison.OrdinalIgnoreCase)
            || value.Equals("True", StringComparison.OrdinalIgnoreCase))
        {
            return Running;
        }
        if (value.Equals("No", StringComparison.OrdinalIgnoreCase) || value.Equals("Off", StringComparison.OrdinalIgnoreCase)
            || value.Equals("False", StringComparison.OrdinalIgnoreCase))
        {
            return Stopped;
        }
        return value.Equals("Connecting", StringComparison.OrdinalIgnoreCase) ? Connecting : Unknown;
    }
}
