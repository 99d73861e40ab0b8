using Vtorc.LocalCluster;
using Vtorc.LocalCluster.Network;

namespace Vtorc.Benchmarks.Chaos;

/// <summary>
/// Removes what earlier chaos runs left behind when they could not clean up (SIGKILL, power loss): namespaces (with
/// the processes in them), interfaces and work directories named by <see cref="ChaosNames"/> whose owner is no longer
/// a running chaos process. Those of a run still going are left alone.
/// </summary>
internal static class LeftoverSweep
{
    public static async Task RunAsync(Action<string> report, CancellationToken cancellationToken)
    {
        foreach (var ns in await NetworkNamespace.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            if (IsLeftover(ns))
            {
                report($"removing leftover namespace {ns}");
                await NetworkNamespace.DeleteAsync(ns, cancellationToken).ConfigureAwait(false);
            }
        }
        foreach (var name in await NamespaceBridge.InterfaceNamesAsync(cancellationToken).ConfigureAwait(false))
        {
            if (IsLeftover(name))
            {
                report($"removing leftover interface {name}");
                await NamespaceBridge.DeleteInterfaceAsync(name, cancellationToken).ConfigureAwait(false);
            }
        }
        foreach (var directory in Directory.EnumerateDirectories(ChaosNames.WorkParent))
        {
            if (!IsLeftover(Path.GetFileName(directory)))
            {
                continue;
            }
            report($"removing leftover work directory {directory}");
            try
            {
                // Host processes (etcd, orchestrators) are found through the cluster's state file, by pid and start time.
                if (LocalClusterState.TryLoad(directory) is { } state)
                {
                    foreach (var record in state.Processes)
                    {
                        await DetachedProcess.KillAsync(record.Identity, cancellationToken).ConfigureAwait(false);
                    }
                }
            }
            catch (InvalidDataException e)
            {
                report($"  its state file is unreadable ({e.Message}); processes it started, if any, are left alone");
            }
            Directory.Delete(directory, recursive: true);
        }
    }

    private static bool IsLeftover(string name) => ChaosNames.OwnerOf(name) is { } owner && !IsChaosProcess(owner);

    private static bool IsChaosProcess(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Contains("Vtorc.Benchmarks", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
