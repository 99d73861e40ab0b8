using System.Globalization;

namespace Vtorc.LocalCluster;

/// <summary>
/// Stops every process a local-cluster state file records, by pid: the daemon first, then the agents, the mysqld
/// servers and etcd last (<see cref="LocalProcessKinds.StopOrder"/>), each kind in parallel. SIGTERM, then SIGKILL after
/// the kind's grace period. Processes that already exited are reported as such; nothing else is touched.
/// </summary>
public static class LocalClusterStopper
{
    public static TimeSpan GraceFor(string kind) => kind switch
    {
        LocalProcessKinds.Daemon => TimeSpan.FromSeconds(15),
        LocalProcessKinds.Agent => TimeSpan.FromSeconds(10),
        LocalProcessKinds.MySqld => TimeSpan.FromSeconds(30),
        _ => TimeSpan.FromSeconds(10),
    };

    /// <summary>Stops everything; <paramref name="report"/> gets one line per recorded process saying what happened to it.</summary>
    public static async Task StopAllAsync(LocalClusterState state, Action<string> report, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(report);
        foreach (var kind in LocalProcessKinds.StopOrder)
        {
            var records = state.OfKind(kind).ToList();
            var outcomes = await Task.WhenAll(records.Select(r => DetachedProcess.StopAsync(r.Identity, GraceFor(kind), cancellationToken)))
                .ConfigureAwait(false);
            for (var i = 0; i < records.Count; i++)
            {
                report(Describe(records[i], outcomes[i]));
            }
        }
    }

    private static string Describe(LocalProcessRecord record, DetachedStopOutcome? outcome)
    {
        var what = record.Kind == record.Name ? record.Kind : $"{record.Kind} {record.Name}";
        var pid = record.Pid.ToString(CultureInfo.InvariantCulture);
        return outcome switch
        {
            DetachedStopOutcome.Terminated => $"stopped {what} (pid {pid})",
            DetachedStopOutcome.Killed => $"killed {what} (pid {pid}): it ignored SIGTERM for {GraceFor(record.Kind).TotalSeconds:0} s",
            _ => $"{what} (pid {pid}) was not running",
        };
    }
}
