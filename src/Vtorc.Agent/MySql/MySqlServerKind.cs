namespace Vtorc.Agent.MySql;

/// <summary>Which server product a version string belongs to.</summary>
public enum MySqlServerKind
{
    MySql,
    Percona,
    MariaDb,
}
