using System.Diagnostics;

namespace Vtorc.LocalCluster;

/// <summary>
/// Where the <c>vtorc</c> program is, so the fixture can run it as a separate OS process (e.g. one tablet agent per
/// process, killed by pid). Found through <see cref="EnvironmentVariable"/> (a <c>vtorc.dll</c> or an apphost), else
/// as <c>vtorc.dll</c> next to the running program (projects that reference Vtorc.Cli get it copied there).
/// </summary>
public sealed class VtorcExecutable
{
    public const string EnvironmentVariable = "VTORC_EXECUTABLE";

    public const string AssemblyFileName = "vtorc.dll";

    private VtorcExecutable(string path, string host)
    {
        Path = path;
        DotnetHost = host;
    }

    /// <summary>The vtorc.dll or apphost that is run.</summary>
    public string Path { get; }

    /// <summary>The <c>dotnet</c> host that runs a .dll (unused for an apphost).</summary>
    public string DotnetHost { get; }

    public bool IsAssembly => Path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);

    /// <summary>Looks in the process environment and next to <see cref="AppContext.BaseDirectory"/>.</summary>
    /// <exception cref="FileNotFoundException">Nothing was found; the message names every place looked at.</exception>
    public static VtorcExecutable Locate() =>
        Locate(Environment.GetEnvironmentVariable(EnvironmentVariable), AppContext.BaseDirectory, Environment.ProcessPath);

    /// <summary>
    /// <paramref name="configured"/> (the value of <see cref="EnvironmentVariable"/>) wins when set; otherwise
    /// <c>vtorc.dll</c> in <paramref name="baseDirectory"/>. A .dll is run with <paramref name="currentProcessPath"/>
    /// when that is a dotnet host, else with <c>dotnet</c> from PATH.
    /// </summary>
    /// <exception cref="FileNotFoundException">Nothing was found; the message names every place looked at.</exception>
    public static VtorcExecutable Locate(string? configured, string baseDirectory, string? currentProcessPath)
    {
        ArgumentNullException.ThrowIfNull(baseDirectory);
        var host = IsDotnetHost(currentProcessPath) ? currentProcessPath! : "dotnet";
        if (!string.IsNullOrWhiteSpace(configured))
        {
            var full = System.IO.Path.GetFullPath(configured);
            return File.Exists(full)
                ? new VtorcExecutable(full, host)
                : throw new FileNotFoundException(
                    $"{EnvironmentVariable} names \"{configured}\", which does not exist (give the path of vtorc.dll or of the vtorc apphost)", full);
        }
        var beside = System.IO.Path.Combine(baseDirectory, AssemblyFileName);
        return File.Exists(beside)
            ? new VtorcExecutable(beside, host)
            : throw new FileNotFoundException(
                $"cannot find the vtorc program: {EnvironmentVariable} is not set and \"{beside}\" does not exist "
                + "(reference Vtorc.Cli from the test project, or set " + EnvironmentVariable + " to vtorc.dll or the vtorc apphost)", beside);
    }

    /// <summary>How to run <c>vtorc {arguments}</c>: <c>dotnet exec vtorc.dll …</c> for a .dll, the apphost itself otherwise.</summary>
    public ProcessStartInfo StartInfo(IEnumerable<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var info = new ProcessStartInfo(IsAssembly ? DotnetHost : Path) { UseShellExecute = false };
        if (IsAssembly)
        {
            info.ArgumentList.Add("exec");
            info.ArgumentList.Add(Path);
        }
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        return info;
    }

    public override string ToString() => IsAssembly ? $"{DotnetHost} exec {Path}" : Path;

    private static bool IsDotnetHost(string? processPath) =>
        !string.IsNullOrEmpty(processPath)
        && System.IO.Path.GetFileNameWithoutExtension(processPath).Equals("dotnet", StringComparison.OrdinalIgnoreCase);
}
