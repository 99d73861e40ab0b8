namespace Vtorc.Agent.MySql;

/// <summary>
/// The subset of Connector/C's <c>enum mysql_option</c> we set. The numbers are the positions in that enum,
/// which has kept its MySQL-compatible order (0 … 40) through Connector/C 3.x; MariaDB-only options start at 5999/7000.
/// </summary>
internal enum MySqlOption
{
    ConnectTimeout = 0,
    InitCommand = 3,
    SetCharsetName = 7,
    LocalInfile = 8,
    Protocol = 9,
    ReadTimeout = 11,
    WriteTimeout = 12,
    Reconnect = 20,
}
