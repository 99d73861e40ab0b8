using System.Globalization;
using System.Net;
using System.Text;
using Vtorc.Orchestrator.Analysis;
using Vtorc.Orchestrator.Recovery;
using Vtorc.Orchestrator.Store;
using Vtorc.Reparent;
using Vtorc.Topo;

namespace Vtorc.Orchestrator.Http;

/// <summary>
/// Renders <c>/debug/status</c>: one self-contained HTML page (inline CSS, no scripts or external assets) that
/// reloads itself. Every value that comes from the topology, a tablet or the history is HTML-escaped. Pure.
/// </summary>
internal static class StatusPage
{
    private const int GtidDisplayLength = 48;

    public static string Render(StatusPageModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var html = new StringBuilder(16 * 1024);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta http-equiv=\"refresh\" content=\"").Append(model.RefreshSeconds.ToString(CultureInfo.InvariantCulture)).Append("\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>VTOrc status — ").Append(E(model.Hostname)).Append("</title>\n")
            .Append("<style>\n").Append(Css).Append("</style>\n</head>\n<body>\n");
        RenderHeader(html, model);
        if (model.Shards.Count == 0)
        {
            html.Append("<p class=\"note\">No shard discovered yet")
                .Append(model.DiscoveredOnce ? " in the watched scope." : ": waiting for the first topology refresh.").Append("</p>\n");
        }
        foreach (var shard in model.Shards.OrderBy(s => s.Snapshot.Keyspace.Name, StringComparer.Ordinal)
                     .ThenBy(s => s.Snapshot.Shard.Shard, StringComparer.Ordinal))
        {
            RenderShard(html, shard, model);
        }
        RenderRecoveries(html, model);
        html.Append("<footer>JSON: <a href=\"/api/problems\">problems</a> · <a href=\"/api/detection-analysis\">detection analysis</a> · ")
            .Append("<a href=\"/api/errant-gtids\">errant GTIDs</a> · <a href=\"/api/recoveries\">recoveries</a> · ")
            .Append("<a href=\"/api/database-state\">database state</a> · <a href=\"/api/config\">config</a> · ")
            .Append("<a href=\"/api/snapshot\">snapshot</a> · <a href=\"/debug/health\">health</a> · ")
            .Append("<a href=\"/debug/vars\">variables</a> · <a href=\"/metrics\">metrics</a></footer>\n");
        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    private static void RenderHeader(StringBuilder html, StatusPageModel model)
    {
        html.Append("<header>\n<h1>VTOrc</h1>\n<div class=\"meta\">")
            .Append("version ").Append(E(model.Version))
            .Append(" · running on ").Append(E(model.Hostname))
            .Append(" · up ").Append(E(Duration(model.Now - model.StartedAt)))
            .Append(" (since ").Append(E(Time(model.StartedAt))).Append(")")
            .Append(" · watching ").Append(model.WatchScope.Length == 0 ? "every keyspace" : "<code>" + E(model.WatchScope) + "</code>")
            .Append(" · ").Append(model.DiscoveredOnce ? "topology discovered" : "<span class=\"bad\">waiting for the first topology refresh</span>")
            .Append(" · page at ").Append(E(Time(model.Now)))
            .Append("</div>\n");

        html.Append("<div class=\"recoveries\">Recoveries: ");
        switch (model.RecoveriesDisabled)
        {
            case true:
                html.Append("<span class=\"bad\">disabled</span> (problems are detected, not repaired)");
                AppendAdminButton(html, model, "/api/enable-global-recoveries", "Enable recoveries");
                break;
            case false:
                html.Append("<span class=\"good\">enabled</span>");
                AppendAdminButton(html, model, "/api/disable-global-recoveries", "Disable recoveries");
                break;
            default:
                html.Append("<span class=\"bad\">unknown</span>");
                break;
        }
        html.Append("</div>\n");
        RenderSwitches(html, model);
        if (model.StoreError is { } error)
        {
            html.Append("<p class=\"bad\">History store: ").Append(E(error)).Append("</p>\n");
        }
        html.Append("</header>\n");
    }

    /// <summary>
    /// Every recovery switch that is off, the global one with the keyspace and shard ones (ours; Vitess has only the
    /// global), so an operator on this page sees why a shard is not repaired. They are turned on again from the operator
    /// page, whose actions need its anti-forgery token.
    /// </summary>
    private static void RenderSwitches(StringBuilder html, StatusPageModel model)
    {
        if (model.RecoveryDisables.Count == 0)
        {
            return;
        }
        html.Append("<table class=\"switches\">\n<thead><tr><th>recoveries disabled</th><th>by</th><th>reason</th><th>since</th></tr></thead>\n<tbody>\n");
        foreach (var disable in model.RecoveryDisables.OrderBy(d => d.Scope.Kind)
                     .ThenBy(d => d.Scope.Keyspace, StringComparer.Ordinal).ThenBy(d => d.Scope.Shard, StringComparer.Ordinal))
        {
            html.Append("<tr><td class=\"bad\">").Append(E(disable.Scope.ToString())).Append("</td><td>")
                .Append(disable.DisabledBy.Length == 0 ? "<span class=\"note\">not recorded</span>" : E(disable.DisabledBy)).Append("</td><td>")
                .Append(disable.Reason.Length == 0 ? "—" : E(disable.Reason)).Append("</td><td>")
                .Append(disable.DisabledAt is { } at ? E(Time(at)) + " (" + E(Duration(model.Now - at)) + " ago)" : "<span class=\"note\">not recorded</span>")
                .Append("</td></tr>\n");
        }
        html.Append("</tbody>\n</table>\n");
        if (model.AdminAllowed && model.RecoveryDisables.Any(d => d.Scope.Kind != RecoveryScopeKind.Global))
        {
            html.Append("<div class=\"note\">Keyspace and shard switches are turned on again on the <a href=\"/\">operator page</a>.</div>\n");
        }
    }

    private static void AppendAdminButton(StringBuilder html, StatusPageModel model, string action, string label)
    {
        if (model.AdminAllowed)
        {
            html.Append(" <form method=\"post\" action=\"").Append(action).Append("\"><button type=\"submit\">")
                .Append(label).Append("</button></form>");
        }
    }

    private static void RenderShard(StringBuilder html, ShardStatus status, StatusPageModel model)
    {
        var snapshot = status.Snapshot;
        var shard = snapshot.Shard;
        html.Append("<section>\n<h2>").Append(E(snapshot.Keyspace.Name)).Append('/').Append(E(shard.Shard)).Append("</h2>\n");
        html.Append("<div class=\"meta\">durability policy: ")
            .Append(snapshot.Keyspace.DurabilityPolicy.Length == 0 ? "<span class=\"bad\">none set</span>" : "<code>" + E(snapshot.Keyspace.DurabilityPolicy) + "</code>")
            .Append(" · primary (topo): ").Append(shard.PrimaryAlias.Length == 0 ? "<span class=\"bad\">none</span>" : "<code>" + E(shard.PrimaryAlias) + "</code>")
            .Append(" · term start: ").Append(shard.PrimaryTermStartTime == default ? "—" : E(Time(shard.PrimaryTermStartTime)));
        if (snapshot.Keyspace.EmergencyReparentDisabled || shard.EmergencyReparentDisabled)
        {
            html.Append(" · <span class=\"bad\">emergency reparent disabled for this ")
                .Append(snapshot.Keyspace.EmergencyReparentDisabled ? "keyspace" : "shard").Append("</span>");
        }
        html.Append("</div>\n");
        if (status.Analysis.IsSkipped)
        {
            html.Append("<p class=\"bad\">Not analysed: ").Append(E(status.Analysis.SkipMessage ?? status.Analysis.SkipReason.ToString())).Append("</p>\n");
        }

        var codeByAlias = status.Analysis.Analyses
            .Where(a => a.Analysis != AnalysisCodes.NoProblem)
            .ToDictionary(a => a.AnalyzedInstanceAlias, a => a.Analysis, StringComparer.Ordinal);
        html.Append("<table>\n<thead><tr><th>tablet</th><th>type</th><th>MySQL</th><th>reachable</th><th>read-only</th>")
            .Append("<th>replicating from</th><th>IO</th><th>SQL</th><th>lag</th><th>GTID position</th><th>errant GTIDs</th><th>problems</th></tr></thead>\n<tbody>\n");
        foreach (var row in ReplicationTree.Of(snapshot))
        {
            RenderTablet(html, row, shard, codeByAlias.GetValueOrDefault(row.Tablet.Alias), model);
        }
        if (snapshot.Tablets.Count == 0)
        {
            html.Append("<tr><td colspan=\"12\" class=\"note\">no tablets</td></tr>\n");
        }
        html.Append("</tbody>\n</table>\n");

        var problems = status.Analysis.Analyses.Where(a => a.Analysis != AnalysisCodes.NoProblem).ToList();
        html.Append("<h3>Current problems</h3>\n");
        if (problems.Count == 0)
        {
            html.Append("<p class=\"note\">none</p>\n");
        }
        else
        {
            foreach (var disable in model.RecoveryDisables.Where(d => d.Scope.Covers(snapshot.Keyspace.Name, shard.Shard)).OrderBy(d => d.Scope.Kind))
            {
                html.Append("<p class=\"bad held\">Not repaired: ").Append(E(disable.Describe()))
                    .Append(disable.DisabledAt is { } at ? " since " + E(Time(at)) : "").Append("; problems here are detected, not repaired</p>\n");
            }
            html.Append("<table>\n<thead><tr><th>analysis</th><th>tablet</th><th>description</th><th>structure warnings</th>")
                .Append("<th>latest recovery attempt</th></tr></thead>\n<tbody>\n");
            foreach (var problem in problems)
            {
                html.Append("<tr><td class=\"bad\">").Append(E(problem.Analysis)).Append("</td><td><code>")
                    .Append(E(problem.AnalyzedInstanceAlias)).Append("</code></td><td>").Append(E(problem.Description))
                    .Append("</td><td>").Append(E(string.Join(", ", problem.StructureAnalysis))).Append("</td><td>")
                    .Append(LatestAttempt(model.RecoveryOutcomes.GetValueOrDefault((problem.AnalyzedInstanceAlias, problem.Analysis)), model.Now))
                    .Append("</td></tr>\n");
            }
            html.Append("</tbody>\n</table>\n");
        }
        html.Append("</section>\n");
    }

    private static void RenderTablet(StringBuilder html, ReplicationTreeRow row, ShardRecord shard, string? analysisCode, StatusPageModel model)
    {
        var tablet = row.Tablet;
        var observation = row.Observation;
        bool isTopoPrimary = tablet.Alias == shard.PrimaryAlias;
        html.Append("<tr><td class=\"alias\" style=\"padding-left:").Append((0.4 + 1.5 * row.Depth).ToString("0.0", CultureInfo.InvariantCulture))
            .Append("em\">").Append(row.Depth > 0 ? "└ " : "").Append("<code>").Append(E(tablet.Alias)).Append("</code>")
            .Append(isTopoPrimary ? " <span class=\"tag\">primary</span>" : "").Append("</td>");

        html.Append("<td>").Append(E(tablet.Type.ToName()));
        if (observation is not null && observation.CurrentTabletType != tablet.Type)
        {
            html.Append(" <span class=\"bad\">(runs as ").Append(E(observation.CurrentTabletType.ToName())).Append(")</span>");
        }
        html.Append("</td><td><code>").Append(E(tablet.MysqlHostname)).Append(':').Append(tablet.MysqlPort.ToString(CultureInfo.InvariantCulture)).Append("</code></td>");

        var pollError = model.PollErrors.GetValueOrDefault(tablet.Alias);
        if (observation is null)
        {
            html.Append("<td class=\"bad\">never reached").Append(PollErrorNote(pollError)).Append("</td>");
            html.Append("<td colspan=\"7\" class=\"note\">—</td>");
        }
        else
        {
            html.Append(observation.LastCheckSucceeded
                ? "<td class=\"good\">yes</td>"
                : "<td class=\"bad\">no; last seen " + E(Duration(model.Now - observation.LastSeen)) + " ago" + PollErrorNote(pollError) + "</td>");
            bool readOnlyWrong = isTopoPrimary ? observation.ReadOnly : !observation.ReadOnly;
            html.Append("<td").Append(readOnlyWrong ? " class=\"bad\"" : "").Append('>')
                .Append(observation.ReadOnly ? (observation.SuperReadOnly ? "super" : "yes") : "no").Append("</td>");
            html.Append("<td>");
            if (row.Source is { } source)
            {
                html.Append("<code>").Append(E(source.Alias)).Append("</code>");
            }
            else if (!observation.ReplicatesFromNobody)
            {
                html.Append("<code>").Append(E(observation.SourceHost)).Append(':')
                    .Append(observation.SourcePort.ToString(CultureInfo.InvariantCulture)).Append("</code> <span class=\"bad\">(not in this shard)</span>");
            }
            else
            {
                html.Append('—');
            }
            html.Append("</td>");
            AppendThread(html, observation.ReplicationIoThreadState, observation.LastIoError);
            AppendThread(html, observation.ReplicationSqlThreadState, observation.LastSqlError);
            html.Append("<td>").Append(observation.ReplicationLagSeconds is { } lag ? lag.ToString(CultureInfo.InvariantCulture) + " s" : "—").Append("</td>");
            html.Append("<td><code title=\"").Append(E(observation.ExecutedGtidSet)).Append("\">").Append(E(Abbreviate(observation.ExecutedGtidSet))).Append("</code></td>");
            html.Append("<td").Append(observation.GtidErrant.Length == 0 ? ">" : " class=\"bad\">")
                .Append(observation.GtidErrant.Length == 0 ? "—" : "<code>" + E(observation.GtidErrant) + "</code>").Append("</td>");
        }

        var problems = new List<string>();
        if (analysisCode is not null)
        {
            problems.Add(analysisCode);
        }
        if (observation is not null)
        {
            problems.AddRange(InstanceProblems.Of(observation, model.AnalysisSettings, model.Now));
            if (observation.IsDiskStalled)
            {
                problems.Add("disk_stalled");
            }
        }
        html.Append(problems.Count == 0 ? "<td class=\"good\">—</td>" : "<td class=\"bad\">" + E(string.Join(", ", problems)) + "</td>");
        html.Append("</tr>\n");
    }

    private static void AppendThread(StringBuilder html, ReplicationThreadState state, string lastError)
    {
        var (text, css) = state switch
        {
            ReplicationThreadState.Running => ("running", "good"),
            ReplicationThreadState.Stopped => ("stopped", "bad"),
            ReplicationThreadState.Connecting => ("connecting", "bad"),
            _ => ("—", ""),
        };
        html.Append("<td").Append(css.Length == 0 ? "" : $" class=\"{css}\"");
        if (lastError.Length != 0)
        {
            html.Append(" title=\"").Append(E(lastError)).Append('"');
        }
        html.Append('>').Append(text).Append(lastError.Length != 0 ? " ⚠" : "").Append("</td>");
    }

    private static void RenderRecoveries(StringBuilder html, StatusPageModel model)
    {
        html.Append("<section>\n<h2>Recent Recoveries</h2>\n");
        if (model.RecentRecoveries.Count == 0)
        {
            html.Append("<p class=\"note\">none</p>\n</section>\n");
            return;
        }
        html.Append("<table>\n<thead><tr><th>id</th><th>alias</th><th>analysis</th><th>keyspace/shard</th><th>start</th><th>end</th>")
            .Append("<th>success</th><th>successor</th><th>errors</th><th>acknowledged</th><th>steps</th></tr></thead>\n<tbody>\n");
        foreach (var recovery in model.RecentRecoveries)
        {
            html.Append("<tr><td>").Append(recovery.RecoveryId.ToString(CultureInfo.InvariantCulture)).Append("</td><td><code>")
                .Append(E(recovery.Alias)).Append("</code></td><td>").Append(E(recovery.Analysis)).Append("</td><td>")
                .Append(E(recovery.Keyspace)).Append('/').Append(E(recovery.Shard)).Append("</td><td>")
                .Append(E(Time(recovery.StartRecovery))).Append("</td><td>")
                .Append(recovery.EndRecovery is { } end ? E(Time(end)) : "<span class=\"note\">in progress</span>").Append("</td>");
            html.Append(recovery.IsActive ? "<td>—</td>" : recovery.IsSuccessful ? "<td class=\"good\">yes</td>" : "<td class=\"bad\">no</td>");
            html.Append("<td>").Append(recovery.SuccessorAlias.Length == 0 ? "—" : "<code>" + E(recovery.SuccessorAlias) + "</code>").Append("</td>");
            html.Append("<td class=\"errors\">").Append(E(recovery.AllErrors)).Append("</td><td>");
            if (recovery.Acknowledgement is { } ack)
            {
                html.Append("by ").Append(E(ack.AcknowledgedBy)).Append(" at ").Append(E(Time(ack.AcknowledgedAt)));
                if (ack.Comment.Length != 0)
                {
                    html.Append(": ").Append(E(ack.Comment));
                }
            }
            else
            {
                html.Append("no");
            }
            html.Append("</td><td>");
            if (recovery.Steps.Count == 0)
            {
                html.Append('—');
            }
            else
            {
                html.Append("<details><summary>").Append(recovery.Steps.Count.ToString(CultureInfo.InvariantCulture)).Append("</summary><ol>");
                foreach (var step in recovery.Steps)
                {
                    html.Append("<li>").Append(E(Time(step.AuditAt))).Append(": ").Append(E(step.Message)).Append("</li>");
                }
                html.Append("</ol></details>");
            }
            html.Append("</td></tr>\n");
        }
        html.Append("</tbody>\n</table>\n</section>\n");
    }

    /// <summary>Shortens each UUID of a GTID set to its first 8 characters, and the whole to a table cell's width.</summary>
    public static string Abbreviate(string gtidSet)
    {
        if (gtidSet.Length == 0)
        {
            return "—";
        }
        var flavorEnd = gtidSet.IndexOf('/');
        var body = flavorEnd >= 0 ? gtidSet[(flavorEnd + 1)..] : gtidSet;
        var parts = body.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(part =>
            {
                var colon = part.IndexOf(':');
                return colon > 8 ? part[..8] + "…" + part[colon..] : part;
            });
        var text = string.Join(",", parts);
        return text.Length <= GtidDisplayLength ? text : text[..(GtidDisplayLength - 1)] + "…";
    }

    private static string E(string? text) => WebUtility.HtmlEncode(text ?? "");

    private static string Time(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>Go-style short duration: "3h4m5s", "12s", "0s".</summary>
    /// <summary>Whole seconds, as the page refreshes every few seconds anyway.</summary>
    public static string Duration(TimeSpan duration) =>
        GoDuration.Format(TimeSpan.FromSeconds(Math.Floor(Math.Max(0, duration.TotalSeconds))));

    private const string Css = """
        body { font-family: system-ui, sans-serif; font-size: 14px; margin: 1em 2em; color: #222; }
        h1 { font-size: 150%; margin: 0 0 .2em 0; }
        h2 { font-size: 120%; margin: 1.4em 0 .3em 0; border-bottom: 1px solid #ccd; }
        h3 { font-size: 105%; margin: .8em 0 .3em 0; }
        header { background: #eef; padding: .6em 1em; border-radius: 4px; }
        .meta { color: #444; margin: .2em 0; }
        .recoveries { margin-top: .4em; font-weight: 600; }
        .recoveries form { display: inline; margin-left: 1em; }
        table.switches { margin-top: .4em; background: #fff; }
        table { border-collapse: collapse; margin: .4em 0; }
        th, td { border: 1px solid #ccd; padding: .2em .4em; text-align: left; vertical-align: top; }
        th { background: #f4f4fa; font-weight: 600; }
        tbody tr:nth-child(even) { background: #fafafd; }
        code { font-family: ui-monospace, monospace; font-size: 95%; }
        .good { color: #17692b; }
        .bad { color: #b00020; font-weight: 600; }
        .note { color: #777; }
        .tag { background: #dde; border-radius: 3px; padding: 0 .3em; font-size: 85%; }
        .errors { white-space: pre-wrap; max-width: 40em; }
        footer { margin-top: 2em; color: #555; }
        details summary { cursor: pointer; }
        """;

    /// <summary>The poll error under "unreachable", shortened: the full text is in the daemon's log.</summary>
    private static string PollErrorNote(string? error)
    {
        if (string.IsNullOrEmpty(error))
        {
            return "";
        }
        const int max = 200;
        var text = error.Length <= max ? error : error[..max] + "…";
        return "<div class=\"note\">" + E(text) + "</div>";
    }

    /// <summary>
    /// Why a problem that is still shown was not (yet) repaired, in the pipeline's own words: an operator looking at a
    /// dead primary must see "recoveries are disabled" or "held by the anti-flapping block" rather than guess.
    /// </summary>
    private static string LatestAttempt(Recovery.LastRecoveryOutcome? outcome, DateTimeOffset now)
    {
        if (outcome is null)
        {
            return "<span class=\"note\">none yet</span>";
        }
        var execution = outcome.Execution;
        string label = execution.SkipReason is { } reason ? $"{execution.Outcome} ({reason})" : execution.Outcome.ToString();
        string css = execution.Outcome == Recovery.RecoveryOutcome.Succeeded ? "good" : "bad";
        return $"<span class=\"{css}\">{E(label)}</span> {E(Duration(now - outcome.At))} ago<div class=\"note\">{E(execution.Message)}</div>";
    }
}
