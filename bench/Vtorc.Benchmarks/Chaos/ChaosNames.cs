using System.Globalization;
using System.Text.RegularExpressions;

namespace Vtorc.Benchmarks.Chaos;

/// <summary>
/// Names of everything a chaos run creates on the machine, all derived from <see cref="Prefix"/> and the pid of the
/// run that owns them: namespaces <c>vtc-PID-N</c>, interfaces <c>vtcPIDb</c> (bridge) and <c>vtcPIDvN</c> (veth
/// host ends, at most 15 bytes), work directory <c>/dev/shm/vtc-PID</c>. The owner's pid in every name lets a later
/// run tell its own leftovers from those of a run still going.
/// </summary>
internal sealed partial record ChaosNames(int OwnerPid)
{
    public const string Prefix = "vtc";

    public string WorkDirectory => Path.Combine(WorkParent, $"{Prefix}-{Pid}");

    public string Bridge => $"{Prefix}{Pid}b";

    public string Namespace(int index) => $"{Prefix}-{Pid}-{index.ToString(CultureInfo.InvariantCulture)}";

    public string VethHostEnd(int index) => $"{Prefix}{Pid}v{index.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>/dev/shm when it exists (short unix socket paths, tmpfs), else the temp directory.</summary>
    public static string WorkParent => Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();

    private string Pid => OwnerPid.ToString(CultureInfo.InvariantCulture);

    /// <summary>The owner pid of a namespace, interface or directory name of ours; null for any other name.</summary>
    public static int? OwnerOf(string name)
    {
        var match = OwnedName().Match(name);
        return match.Success ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : null;
    }

    [GeneratedRegex(@"^vtc-?(\d+)(?:-\d+|b|v\d+)?$")]
    private static partial Regex OwnedName();
}
