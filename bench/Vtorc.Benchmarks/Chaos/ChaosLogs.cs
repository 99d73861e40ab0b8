using System.Globalization;

namespace Vtorc.Benchmarks.Chaos;

/// <summary>Keeps the logs of a run that broke an invariant (the cluster directory itself is deleted with the cluster).</summary>
internal static class ChaosLogs
{
    /// <summary>Copies every *.log of <paramref name="directory"/> (orchestrators, agents, etcd, mysqld error logs) and returns where.</summary>
    public static string Keep(string directory, ChaosNames names, int run)
    {
        var target = Path.Combine(Path.GetTempPath(), $"vtorc-chaos-{names.OwnerPid.ToString(CultureInfo.InvariantCulture)}-run{run.ToString(CultureInfo.InvariantCulture)}");
        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(directory, "*.log", SearchOption.AllDirectories))
        {
            // MariaDB's data directories hold binary *.log files of their own (DDL recovery): not logs to read.
            if (file.Contains($"{Path.DirectorySeparatorChar}data{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            {
                continue;
            }
            var relative = Path.GetRelativePath(directory, file).Replace(Path.DirectorySeparatorChar, '_');
            File.Copy(file, Path.Combine(target, relative), overwrite: true);
        }
        return target;
    }
}
