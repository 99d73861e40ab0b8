namespace Vtorc.Protocol.Tablets;

/// <summary>
/// The words our agent puts in the error of a fence (DemotePrimary, its own demotions) that killed mysqld on purpose
/// to drop commits still waiting for a semi-sync acknowledgement (docs/reliability.md, "Unacknowledged commits of an
/// old primary"). A reparent reads them: that tablet is fenced (mysqld is not running) and is no candidate. A real
/// vttablet never sends them.
/// </summary>
public static class MySqldKilledToFence
{
    public const string Marker = "mysqld killed to fence it";

    public static bool IsIn(string? text) => text?.Contains(Marker, StringComparison.Ordinal) == true;
}
