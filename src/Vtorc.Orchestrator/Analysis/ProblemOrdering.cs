namespace Vtorc.Orchestrator.Analysis;

/// <summary>
/// The order of problems (go/vt/vtorc/inst/analysis_problem.go): explicit before/after dependencies first, then
/// priority (shard-wide ahead of Critical), otherwise the existing order — for one tablet's matches, the table's
/// declaration order. The comparison is not a strict weak
/// ordering, so the sort is a stable insertion sort — the algorithm VTOrc's sort falls back to for short lists — and
/// gives the same result.
/// </summary>
internal static class ProblemOrdering
{
    /// <summary>Negative when <paramref name="a"/> must come first, positive when <paramref name="b"/> must, else 0.</summary>
    public static int Compare(AnalysisProblem a, AnalysisProblem b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (Lists(a.Before, b.Code) || Lists(b.After, a.Code))
        {
            return -1;
        }
        if (Lists(b.Before, a.Code) || Lists(a.After, b.Code))
        {
            return 1;
        }
        return ((int)a.Priority).CompareTo((int)b.Priority);
    }

    /// <summary>Sorts in place, stably, by <see cref="Compare"/>.</summary>
    public static void Sort(IList<AnalysisProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        InsertionSort(problems, static p => p);
    }

    /// <summary>
    /// Orders one shard's analyses for execution (CheckAndRecover in go/vt/vtorc/logic/topology_recovery.go): by the
    /// problem each one reports (<c>Analysis</c>), with the same comparator; analyses whose code is not in the table
    /// keep their place relative to their neighbours.
    /// </summary>
    public static void SortForExecution(IList<DetectionAnalysis> analyses)
    {
        ArgumentNullException.ThrowIfNull(analyses);
        InsertionSort(analyses, static a => AnalysisProblems.TryGet(a.Analysis, out var p) ? p : null);
    }

    private static void InsertionSort<T>(IList<T> items, Func<T, AnalysisProblem?> problemOf)
    {
        for (int i = 1; i < items.Count; i++)
        {
            for (int j = i; j > 0 && Less(problemOf(items[j]), problemOf(items[j - 1])); j--)
            {
                (items[j], items[j - 1]) = (items[j - 1], items[j]);
            }
        }
    }

    private static bool Less(AnalysisProblem? a, AnalysisProblem? b) => a is not null && b is not null && Compare(a, b) < 0;

    internal static bool Lists(IReadOnlyList<string> codes, string code)
    {
        for (int i = 0; i < codes.Count; i++)
        {
            if (string.Equals(codes[i], code, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }
}
