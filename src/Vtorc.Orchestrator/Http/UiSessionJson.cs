namespace Vtorc.Orchestrator.Http;

/// <summary><c>/api/ui/session</c>: the anti-forgery token the page sends with every action, and whether actions are refused.</summary>
internal sealed record UiSessionJson(string CsrfToken, bool ReadOnly);
