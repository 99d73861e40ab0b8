namespace Vtorc.Orchestrator.Metrics;

/// <summary>How a stat behaves, which decides its Prometheus <c># TYPE</c> and its expvar JSON shape.</summary>
public enum StatKind
{
    /// <summary>Only goes up (expvar number or map; Prometheus <c>counter</c>).</summary>
    Counter,

    /// <summary>A current value that may go down (expvar number or map; Prometheus <c>gauge</c>).</summary>
    Gauge,

    /// <summary>
    /// Durations per category, like Vitess <c>stats.Timings</c>: expvar
    /// <c>{"TotalCount","TotalTime","Histograms"}</c>; Prometheus <c>histogram</c> in seconds.
    /// </summary>
    Timings,
}
