namespace Vtorc.Orchestrator.Http.Ui;

/// <summary>
/// <c>/api/ui/overview</c>: the fleet's totals and filter choices, every current problem (at most
/// <see cref="FleetOverview.MaxProblems"/>; the rest counted), and one page of the shards the filter selects — shards
/// with problems first, healthy ones only counted (<see cref="HealthyCollapsed"/>) unless the filter lists them.
/// </summary>
/// <param name="AnalysedAt">When the analysis shown was made (the recovery tick's, normally up to one tick old).</param>
internal sealed record OverviewJson(
    DateTimeOffset Now,
    DateTimeOffset AnalysedAt,
    bool DiscoveredOnce,
    bool? GlobalRecoveriesDisabled,
    string? StoreError,
    int TotalShards,
    int TotalTablets,
    int ShardsWithProblems,
    int UnanalysedShards,
    IReadOnlyList<string> Keyspaces,
    IReadOnlyList<string> Cells,
    IReadOnlyList<ProblemJson> Problems,
    int ProblemsNotShown,
    int MatchingShards,
    int HealthyCollapsed,
    int Page,
    int PageSize,
    int Pages,
    IReadOnlyList<ShardRowJson> Shards);

/// <summary>One shard row of the fleet overview.</summary>
/// <param name="State"><c>problem</c>, <c>unanalysed</c> or <c>healthy</c>.</param>
/// <param name="Note">Why an unanalysed shard is not analysed; empty otherwise.</param>
internal sealed record ShardRowJson(string Keyspace, string Shard, string State, string PrimaryAlias, int Tablets, int Reachable,
    IReadOnlyList<string> Cells, IReadOnlyList<string> Problems, string Note);
