namespace Vtorc.Orchestrator.Analysis;

/// <summary>One entry of <c>AnalysisMatchedProblems</c> as the API serialises it.</summary>
public sealed record MatchedProblem(string Analysis, string Description, bool HasShardWideAction, AnalysisPriority Priority);
