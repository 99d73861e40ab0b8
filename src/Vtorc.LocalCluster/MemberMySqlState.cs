using System.Globalization;
using Vtorc.Agent.MySql;

namespace Vtorc.LocalCluster;

/// <summary>
/// What a member's MySQL server says about itself, read directly (not through the agent): what tests, the demo's
/// status and the benchmarks check to know who is writable and who replicates from whom. Each call opens its own
/// short connection with a deadline.
/// </summary>
public static class MemberMySqlState
{
    private static readonly TimeSpan QueryDeadline = TimeSpan.FromSeconds(15);

    public static async Task<bool> IsReadOnlyAsync(this AgentMember member, CancellationToken cancellationToken = default)
    {
        var row = await SingleRowAsync(member, "SELECT @@global.read_only", cancellationToken).ConfigureAwait(false);
        return row?[0] == "1";
    }

    /// <summary>SHOW SLAVE STATUS, or null when the server is not a replica.</summary>
    public static Task<MySqlRow?> ReplicaStatusAsync(this AgentMember member, CancellationToken cancellationToken = default) =>
        SingleRowAsync(member, "SHOW SLAVE STATUS", cancellationToken);

    /// <summary>Whether the server replicates from <paramref name="source"/> with both threads running.</summary>
    public static async Task<bool> ReplicatesFromAsync(this AgentMember member, AgentMember source, CancellationToken cancellationToken = default)
    {
        var status = await member.ReplicaStatusAsync(cancellationToken).ConfigureAwait(false);
        return status is not null
            && status["Slave_IO_Running"] == "Yes"
            && status["Slave_SQL_Running"] == "Yes"
            && status["Master_Port"] == source.Server.Port.ToString(CultureInfo.InvariantCulture);
    }

    public static async Task<long> ExecuteAsync(this AgentMember member, string sql, CancellationToken cancellationToken = default)
    {
        using var deadline = Deadline(cancellationToken);
        using var connection = await MySqlCalls.OpenAsync(member.MySqlOptions, deadline.Token).ConfigureAwait(false);
        return await connection.ExecuteAsync(sql, deadline.Token).ConfigureAwait(false);
    }

    public static async Task<MySqlResult> QueryAsync(this AgentMember member, string sql, CancellationToken cancellationToken = default)
    {
        using var deadline = Deadline(cancellationToken);
        using var connection = await MySqlCalls.OpenAsync(member.MySqlOptions, deadline.Token).ConfigureAwait(false);
        return await connection.QueryAsync(sql, deadline.Token).ConfigureAwait(false);
    }

    private static async Task<MySqlRow?> SingleRowAsync(AgentMember member, string sql, CancellationToken cancellationToken) =>
        (await member.QueryAsync(sql, cancellationToken).ConfigureAwait(false)).SingleRowOrDefault();

    private static CancellationTokenSource Deadline(CancellationToken cancellationToken)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        source.CancelAfter(QueryDeadline);
        return source;
    }
}
