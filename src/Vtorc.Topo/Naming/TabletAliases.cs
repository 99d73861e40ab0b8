using Topodata;

namespace Vtorc.Topo;

/// <summary><see cref="TabletAlias"/> helpers over <see cref="TabletAliasText"/>.</summary>
public static class TabletAliases
{
    public static TabletAlias Create(string cell, uint uid) => new() { Cell = cell, Uid = uid };

    /// <summary>Parses <c>zone1-0000000100</c> (or <c>zone1-100</c>); the error quotes the text.</summary>
    public static TabletAlias Parse(string text)
    {
        var (cell, uid) = TabletAliasText.ParseParts(text);
        return Create(cell, uid);
    }

    public static bool TryParse(string? text, out TabletAlias? alias)
    {
        alias = TabletAliasText.TryParseParts(text, out var cell, out var uid) ? Create(cell, uid) : null;
        return alias is not null;
    }

    /// <summary>The alias as <c>{cell}-{uid:D10}</c>.</summary>
    public static string ToText(this TabletAlias alias) => TabletAliasText.Format(alias.Cell, alias.Uid);
}
