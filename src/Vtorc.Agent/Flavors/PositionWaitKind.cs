namespace Vtorc.Agent.Flavors;

/// <summary>Which wait function a <see cref="PositionWait"/> calls (they encode "timed out" differently).</summary>
public enum PositionWaitKind
{
    MariaDbGtid,
    MySqlGtid,
    FilePosition,
}
