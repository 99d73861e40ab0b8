using Vtorc.LocalCluster;
using Vtorc.Topo;

namespace Vtorc.Cli.Local;

/// <summary>
/// <c>vtorc local kill &lt;alias&gt; [--agent]</c>: SIGKILL of a tablet's mysqld by pid (with --agent its agent too: the host is
/// lost), and <c>vtorc local restart &lt;alias&gt;</c>: start whichever of the two is not running again, the same way.
/// </summary>
internal static class LocalKill
{
    public static async Task<int> KillAsync(string dir, string alias, bool agentToo, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var state = await LocalStateFile.LoadRunningAsync(dir, "kill", error).ConfigureAwait(false);
        if (state is null || await ResolveAsync(state, alias, "kill", error).ConfigureAwait(false) is not { } tablet)
        {
            return 1;
        }
        var kinds = agentToo ? new[] { LocalProcessKinds.Agent, LocalProcessKinds.MySqld } : [LocalProcessKinds.MySqld];
        foreach (var kind in kinds)
        {
            if (state.Find(kind, tablet.Alias) is not { } record)
            {
                await output.WriteLineAsync($"{kind} of {tablet.Alias} was never started").ConfigureAwait(false);
                continue;
            }
            var killed = await DetachedProcess.KillAsync(record.Identity, cancellationToken).ConfigureAwait(false);
            await output.WriteLineAsync(killed
                ? $"killed {kind} of {tablet.Alias} (pid {record.Pid}) with SIGKILL"
                : $"{kind} of {tablet.Alias} (pid {record.Pid}) was not running").ConfigureAwait(false);
        }
        await output.WriteLineAsync($"watch the orchestrator react: vtorc local status --dir {dir}"
            + (state.HttpPort == 0 ? "" : $"  or  {LocalUp.StatusUrl(state.HttpPort)}")).ConfigureAwait(false);
        return 0;
    }

    public static async Task<int> RestartAsync(string dir, string alias, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var state = await LocalStateFile.LoadRunningAsync(dir, "restart", error).ConfigureAwait(false);
        if (state is null || await ResolveAsync(state, alias, "restart", error).ConfigureAwait(false) is not { } tablet)
        {
            return 1;
        }
        var launcher = new LocalProcessLauncher(state);
        foreach (var kind in new[] { LocalProcessKinds.MySqld, LocalProcessKinds.Agent })
        {
            if (state.Find(kind, tablet.Alias) is not { } record)
            {
                continue;
            }
            if (record.IsAlive)
            {
                await output.WriteLineAsync($"{kind} of {tablet.Alias} (pid {record.Pid}) is running").ConfigureAwait(false);
                continue;
            }
            try
            {
                var restarted = await launcher.RestartAsync(record, cancellationToken).ConfigureAwait(false);
                await output.WriteLineAsync($"started {kind} of {tablet.Alias} again (pid {restarted.Pid}); log {restarted.LogPath}").ConfigureAwait(false);
            }
            catch (InvalidOperationException e)
            {
                await error.WriteLineAsync($"vtorc local restart: {kind} of {tablet.Alias}: {e.Message}").ConfigureAwait(false);
                return 1;
            }
        }
        return 0;
    }

    /// <summary>Finds the tablet by alias ("zone1-0000000100" or "zone1-100"); otherwise names the alias and lists the known ones.</summary>
    private static async Task<LocalTabletRecord?> ResolveAsync(LocalClusterState state, string alias, string command, TextWriter error)
    {
        var text = TabletAliasText.TryParseParts(alias, out var cell, out var uid) ? TabletAliasText.Format(cell, uid) : alias;
        if (state.FindTablet(text) is { } tablet)
        {
            return tablet;
        }
        await error.WriteLineAsync(
            $"vtorc local {command}: unknown tablet alias \"{alias}\"; the local cluster in {state.Directory} has {string.Join(", ", state.Tablets.Select(t => t.Alias))}")
            .ConfigureAwait(false);
        return null;
    }
}
