namespace Vtorc.Orchestrator.Store;

/// <summary>One table of <c>/api/database-state</c>: every row as column → value text (NULL as "").</summary>
public sealed record TableState(string TableName, IReadOnlyList<IReadOnlyDictionary<string, string>> Rows);
