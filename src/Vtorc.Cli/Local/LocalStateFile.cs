using Vtorc.LocalCluster;

namespace Vtorc.Cli.Local;

/// <summary>Loads the state file for the commands that need a cluster (status, kill, restart), explaining when there is none.</summary>
internal static class LocalStateFile
{
    /// <summary>The state, or null after writing to <paramref name="error"/> why there is no running cluster in <paramref name="dir"/>.</summary>
    public static async Task<LocalClusterState?> LoadRunningAsync(string dir, string command, TextWriter error)
    {
        LocalClusterState? state;
        try
        {
            state = LocalClusterState.TryLoad(dir);
        }
        catch (InvalidDataException e)
        {
            await error.WriteLineAsync($"vtorc local {command}: {e.Message}").ConfigureAwait(false);
            return null;
        }
        if (state is null)
        {
            await error.WriteLineAsync(
                $"vtorc local {command}: no local cluster in {dir} (no {LocalClusterState.FileName}); start one with `vtorc local up --dir {dir}`")
                .ConfigureAwait(false);
            return null;
        }
        if (!state.Processes.Any(p => p.IsAlive))
        {
            await error.WriteLineAsync(
                $"vtorc local {command}: the local cluster in {dir} is not running (every process in {LocalClusterState.FileName} has exited); "
                + $"start it again with `vtorc local up --dir {dir}`").ConfigureAwait(false);
            return null;
        }
        return state;
    }
}
