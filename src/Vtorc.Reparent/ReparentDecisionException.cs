namespace Vtorc.Reparent;

/// <summary>
/// A reparent cannot proceed. <see cref="Exception.Message"/> starts with the Vitess-like summary (e.g.
/// "split brain detected", "no valid candidates for emergency reparent") followed by the per-tablet reasons, which
/// are also available one by one in <see cref="Reasons"/>.
/// </summary>
public sealed class ReparentDecisionException : Exception
{
    public ReparentDecisionException(string summary, IReadOnlyList<CandidateRejection>? reasons = null)
        : base(Compose(summary, reasons ?? []))
    {
        Summary = summary;
        Reasons = reasons ?? [];
    }

    /// <summary>The message without the per-tablet reasons.</summary>
    public string Summary { get; }

    public IReadOnlyList<CandidateRejection> Reasons { get; }

    private static string Compose(string summary, IReadOnlyList<CandidateRejection> reasons)
    {
        ArgumentException.ThrowIfNullOrEmpty(summary);
        if (reasons.Count == 0)
        {
            return summary;
        }
        return summary + ": " + string.Join("; ", reasons.Select(r => r.ToString()));
    }
}
