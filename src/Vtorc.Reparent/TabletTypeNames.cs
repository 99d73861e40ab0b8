using Topodata;
using Vtorc.Topo;

namespace Vtorc.Reparent;

/// <summary>
/// Kept for the HTTP status page, which another change is moving; every other caller uses
/// <see cref="TabletTypeText.ToName"/>, the one spelling of tablet types. Remove once the status page does too.
/// </summary>
public static class TabletTypeNames
{
    public static string Of(TabletType type) => type.ToName();
}
