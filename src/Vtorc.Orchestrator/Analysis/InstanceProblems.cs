namespace Vtorc.Orchestrator.Analysis;

/// <summary>
/// Per-instance health as <c>/api/problems</c> and the instance JSON report it (go/vt/vtorc/server/api.go,
/// go/vt/vtorc/inst/instance.go): freshness of the last check and the problem strings. Pure: the time is an argument.
/// </summary>
internal static class InstanceProblems
{
    public const string LastCheckInvalid = "last_check_invalid";
    public const string NotRecentlyChecked = "not_recently_checked";
    public const string NotReplicating = "not_replicating";
    public const string ReplicationLag = "replication_lag";
    public const string ErrantGtid = "errant_gtid";

    /// <summary>Whole seconds since the last check (negative if it is in the future).</summary>
    public static long SecondsSinceLastChecked(InstanceObservation instance, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(instance);
        return WholeSeconds.Of(now - instance.LastChecked);
    }

    /// <summary>Checked within the last poll interval.</summary>
    public static bool IsUpToDate(InstanceObservation instance, AnalysisSettings settings, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return SecondsSinceLastChecked(instance, now) <= settings.InstancePollSeconds;
    }

    /// <summary>Checked within the last five poll intervals.</summary>
    public static bool IsRecentlyChecked(InstanceObservation instance, AnalysisSettings settings, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return SecondsSinceLastChecked(instance, now) <= 5 * settings.InstancePollSeconds;
    }

    /// <summary>
    /// The problem strings, in VTOrc's order: at most one of last_check_invalid, not_recently_checked,
    /// not_replicating, replication_lag (the first that applies), then errant_gtid.
    /// </summary>
    public static IReadOnlyList<string> Of(InstanceObservation instance, AnalysisSettings settings, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(settings);
        var problems = new List<string>(2);
        if (!instance.LastCheckSucceeded)
        {
            problems.Add(LastCheckInvalid);
        }
        else if (!IsRecentlyChecked(instance, settings, now))
        {
            problems.Add(NotRecentlyChecked);
        }
        else if (ReplicationThreadsExist(instance) && !(instance.ReplicationIoThreadRunning && instance.ReplicationSqlThreadRunning))
        {
            problems.Add(NotReplicating);
        }
        else if (instance.ReplicationLagSeconds is { } lag && Math.Abs(lag - instance.SqlDelay) > settings.ReasonableReplicationLagSeconds)
        {
            problems.Add(ReplicationLag);
        }
        if (instance.GtidErrant.Length != 0)
        {
            problems.Add(ErrantGtid);
        }
        return problems;
    }

    /// <summary>The <c>ErrantGtidTabletCount</c> gauge: instances with a non-empty errant GTID set.</summary>
    public static int CountWithErrantGtids(IEnumerable<InstanceObservation> instances)
    {
        ArgumentNullException.ThrowIfNull(instances);
        int count = 0;
        foreach (var instance in instances)
        {
            if (instance.GtidErrant.Length != 0)
            {
                count++;
            }
        }
        return count;
    }

    private static bool ReplicationThreadsExist(InstanceObservation instance) =>
        instance.ReplicationIoThreadState != ReplicationThreadState.NoThread
        && instance.ReplicationSqlThreadState != ReplicationThreadState.NoThread;
}
