using System.Globalization;
using MySqlConnector;
using Vtorc.Agent.MySql;
using Vtorc.LocalCluster;

namespace Vtorc.Orchestrator.Tests.Live;

/// <summary>The table test.t (id BIGINT) the live tests write to on a primary and count on every member.</summary>
internal static class LiveTestTable
{
    /// <summary>Creates test.t on <paramref name="primary"/> (as the privileged account; replication takes it to the others).</summary>
    public static async Task CreateAsync(AgentMember primary)
    {
        await primary.ExecuteAsync("CREATE DATABASE IF NOT EXISTS test");
        await primary.ExecuteAsync("CREATE TABLE test.t (id BIGINT PRIMARY KEY)");
    }

    public static async Task<int> CountRowsAsync(AgentMember member)
    {
        var result = await member.QueryAsync("SELECT COUNT(*) FROM test.t");
        return int.Parse(result.Rows[0][0]!, CultureInfo.InvariantCulture);
    }

    /// <summary>Like <see cref="CountRowsAsync"/>, 0 while the member has not applied the CREATE DATABASE/TABLE yet.</summary>
    public static async Task<int> CountRowsOrZeroAsync(AgentMember member)
    {
        try
        {
            return await CountRowsAsync(member);
        }
        catch (MySqlCallException e) when (e.ErrorCode is MySqlErrorCode.NoSuchTable or MySqlErrorCode.UnknownDatabase)
        {
            return 0;
        }
    }
}
