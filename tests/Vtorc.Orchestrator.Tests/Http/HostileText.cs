namespace Vtorc.Orchestrator.Tests.Http;

/// <summary>
/// Text with every character class where JSON encoders disagree, and the bytes Go's encoding/json (HTML escaping on,
/// Go 1.22+) writes for it inside a JSON string. No '/' or NUL, so it can also be part of a file name.
/// </summary>
public static class HostileText
{
    public const string Raw = "<b>&amp;\u001b[0m\u007f\u0085\u2028\u2029\ud83d\ude00é\"\\\b\f\t";

    public const string AsGo = "\\u003cb\\u003e\\u0026amp;\\u001b[0m\u007f\u0085\\u2028\\u2029\ud83d\ude00é\\\"\\\\\\b\\f\\t";

    /// <summary>Characters Go never leaves raw in JSON text.</summary>
    public static readonly char[] NeverRaw = ['<', '>', '&', '\u001b', '\u2028', '\u2029', '\b', '\f'];
}
