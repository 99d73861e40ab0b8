namespace Vtorc.Benchmarks.Detection;

/// <summary>What the detection benchmark does to the primary.</summary>
internal enum DetectionFault
{
    /// <summary>SIGKILL of the primary's mysqld; its agent lives on and sees the loss.</summary>
    KillMysqld,

    /// <summary>SIGKILL of the primary's agent and mysqld together: the host is gone, its TCP connections are reset.</summary>
    KillHost,

    /// <summary>Everything on the primary namespace's interface dropped: no reset, no answer (a silent host or network loss).</summary>
    SilentHost,
}

internal static class DetectionFaults
{
    public static string Name(DetectionFault fault) => fault switch
    {
        DetectionFault.KillMysqld => "kill-mysqld",
        DetectionFault.KillHost => "kill-host",
        DetectionFault.SilentHost => "silent-host",
        _ => throw new ArgumentOutOfRangeException(nameof(fault), fault, "unknown fault"),
    };

    public static DetectionFault Parse(string text) =>
        Enum.GetValues<DetectionFault>().FirstOrDefault(f => Name(f) == text, (DetectionFault)(-1)) is var fault && Enum.IsDefined(fault)
            ? fault
            : throw new FormatException($"--fault \"{text}\" must be one of {string.Join(", ", Enum.GetValues<DetectionFault>().Select(Name))}");
}
