namespace Vtorc.Orchestrator.Store;

/// <summary>One audit operation (go/vt/vtorc/inst/audit_dao.go); keyspace/shard are those of the tablet, looked up by
/// the caller.</summary>
public sealed record AuditEntry(DateTimeOffset Timestamp, string AuditType, string Alias, string Keyspace, string Shard, string Message)
{
    /// <summary>The audit file line: "YYYY-MM-DD hh:mm:ss", type, alias, "[keyspace:shard]", message, tab-separated (UTC).</summary>
    public string ToFileLine() =>
        string.Join('\t',
            Timestamp.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture),
            AuditType, Alias, $"[{Keyspace}:{Shard}]", Message);

    /// <summary>The text VTOrc sends to syslog, and to the normal log when neither the file nor syslog took the entry.</summary>
    public string ToLogText() => $"auditType:{AuditType} alias:{Alias} keyspace:{Keyspace} shard:{Shard} message:{Message}";
}
