namespace Vtorc.Replication;

/// <summary>The kind of a replication position; <see cref="None"/> is the empty position (the empty string).</summary>
public enum PositionFlavor
{
    None = 0,
    MySql56,
    MariaDb,
    FilePos,
}
