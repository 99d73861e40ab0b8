using Vtorc.Topo;

namespace Vtorc.Reparent.Operations;

/// <summary>Alias text as the operations compare it: <c>cell-uid</c> with the uid padded to ten digits.</summary>
internal static class ReparentAliases
{
    /// <exception cref="FormatException">Not an alias; names the option and quotes the text.</exception>
    public static string Normalize(string text, string what)
    {
        try
        {
            return TabletAliases.Parse(text.Trim()).ToText();
        }
        catch (FormatException e)
        {
            throw new FormatException($"{what}: {e.Message}", e);
        }
    }

    public static string? NormalizeOptional(string? text, string what) =>
        string.IsNullOrWhiteSpace(text) ? null : Normalize(text, what);
}
