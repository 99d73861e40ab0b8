using Vtorc.LocalCluster;

namespace Vtorc.Cli.Local;

/// <summary>
/// <c>vtorc local down</c>: stops every process the state file records (by pid: daemon, agents, mysqld, etcd) and removes
/// the work directory. Running it again finds nothing and says so.
/// </summary>
internal static class LocalDown
{
    public static async Task<int> RunAsync(string dir, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(dir))
        {
            await output.WriteLineAsync($"nothing to stop: {dir} does not exist").ConfigureAwait(false);
            return 0;
        }
        LocalClusterState? state;
        try
        {
            state = LocalClusterState.TryLoad(dir);
        }
        catch (InvalidDataException e)
        {
            await error.WriteLineAsync($"vtorc local down: {e.Message}; not removing {dir}").ConfigureAwait(false);
            return 1;
        }
        if (state is null)
        {
            await error.WriteLineAsync(
                $"vtorc local down: {dir} holds no {LocalClusterState.FileName}, so it is not a local-cluster work directory; not removing it")
                .ConfigureAwait(false);
            return 1;
        }
        await output.WriteLineAsync($"stopping the local cluster in {dir}").ConfigureAwait(false);
        await LocalClusterStopper.StopAllAsync(state, line => output.WriteLine("  " + line), cancellationToken).ConfigureAwait(false);
        Directory.Delete(dir, recursive: true);
        await output.WriteLineAsync($"removed {dir} (etcd data, MariaDB data directories, logs, {LocalClusterState.FileName})").ConfigureAwait(false);
        return 0;
    }
}
