using Vtorc.Orchestrator.Analysis;

namespace Vtorc.Orchestrator.Json;

/// <summary>One tablet as the instance endpoints list it: its topo record and the latest observation (null if never polled).</summary>
internal sealed record InstanceEntry(TabletRecord Tablet, InstanceObservation? Observation);
