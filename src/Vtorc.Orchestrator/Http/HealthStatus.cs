namespace Vtorc.Orchestrator.Http;

/// <summary>
/// The <c>/debug/health</c> document, with VTOrc's field names (go/vt/vtorc/process/health.go). There is no leader
/// election between VTOrc instances: the node fields always describe this process, and the raft fields are the empty
/// leftovers VTOrc keeps.
/// </summary>
internal sealed record HealthStatus
{
    /// <summary>The history store answered a query (VTOrc: the backend took the node's heartbeat row).</summary>
    public bool Healthy { get; init; }

    public string Hostname { get; init; } = "";

    public string Token { get; init; } = "";

    public bool IsActiveNode { get; init; }

    /// <summary>The first complete topo refresh has happened.</summary>
    public bool DiscoveredOnce { get; init; }

    public NodeHealth? ActiveNode { get; init; }

    /// <summary>Why the health check failed; null when it did not.</summary>
    public string? Error { get; init; }

    public IReadOnlyList<NodeHealth> AvailableNodes { get; init; } = [];

    public string RaftLeader { get; init; } = "";

    public bool IsRaftLeader { get; init; }

    public string RaftLeaderURI { get; init; } = "";

    public string RaftAdvertise { get; init; } = "";

    public IReadOnlyList<string>? RaftHealthyMembers { get; init; }

    /// <summary>HTTP 200 only when healthy and discovered once, else 500 (VTOrc ≥ v19).</summary>
    public bool IsServing => Healthy && DiscoveredOnce;
}
