namespace Vtorc.Orchestrator.Http.Ui;

/// <summary>
/// The fleet overview's filter and page (<c>/api/ui/overview?keyspace=&amp;cell=&amp;state=&amp;q=&amp;page=&amp;pageSize=&amp;healthy=</c>):
/// exact keyspace and cell, a state, a case-insensitive search in tablet aliases, MySQL hosts and the shard's name.
/// Healthy shards are collapsed (counted, not listed) unless <see cref="ShowHealthy"/>, a search or the
/// <c>healthy</c> state asks for them.
/// </summary>
internal sealed record FleetFilter(string Keyspace, string Cell, ShardState? State, string Query, int Page, int PageSize, bool ShowHealthy)
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 500;

    public static FleetFilter All { get; } = new("", "", null, "", 0, DefaultPageSize, false);

    /// <exception cref="QueryParameterException">A parameter is malformed; the message names it.</exception>
    public static FleetFilter From(QueryParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var stateText = parameters.Text("state");
        ShardState? state = stateText switch
        {
            "" or "all" => null,
            "problem" => ShardState.Problem,
            "healthy" => ShardState.Healthy,
            "unanalysed" => ShardState.Unanalysed,
            _ => throw new QueryParameterException(
                $"Invalid value for state: \"{stateText}\" is not one of all, problem, healthy, unanalysed"),
        };
        var healthyText = parameters.Text("healthy");
        if (healthyText is not ("" or "show" or "collapse"))
        {
            throw new QueryParameterException($"Invalid value for healthy: \"{healthyText}\" is not show or collapse");
        }
        return new FleetFilter(
            parameters.Text("keyspace"),
            parameters.Text("cell"),
            state,
            parameters.Text("q").Trim(),
            (int)parameters.NonNegativeInteger("page", 0, 1_000_000),
            Math.Max(1, (int)parameters.NonNegativeInteger("pageSize", DefaultPageSize, MaxPageSize)),
            healthyText == "show");
    }

    /// <summary>Healthy shards are listed rather than only counted.</summary>
    public bool ListsHealthy => ShowHealthy || Query.Length != 0 || State == ShardState.Healthy;
}
