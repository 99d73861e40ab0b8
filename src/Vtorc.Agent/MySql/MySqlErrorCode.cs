namespace Vtorc.Agent.MySql;

/// <summary>MySQL/MariaDB errno values the agent tests for.</summary>
public static class MySqlErrorCode
{
    /// <summary>Vitess's own "this MySQL is not a replica" (go/mysql/sqlerror/constants.go), never sent by a
    /// server.</summary>
    public const int NotReplica = 100;

    public const int AccessDenied = 1045;
    public const int BadDatabase = 1049;
    public const int ParseError = 1064;
    public const int UnknownSystemVariable = 1193;
    /// <summary>ER_LOCK_WAIT_TIMEOUT: also what a SET GLOBAL read_only held up by commits answers after lock_wait_timeout.</summary>
    public const int LockWaitTimeout = 1205;
    /// <summary>ER_NO_SUCH_THREAD: KILL of a connection that is already gone.</summary>
    public const int NoSuchThread = 1094;
    public const int QueryInterrupted = 1317;
    public const int NoSuchTable = 1146;
    public const int OptionPreventsStatement = 1290;

    /// <summary>CR_CONNECTION_ERROR: cannot connect through the unix socket.</summary>
    public const int ConnectionError = 2002;

    /// <summary>CR_CONN_HOST_ERROR: cannot connect to host:port (refused or timed out).</summary>
    public const int ConnHostError = 2003;

    public const int UnknownHost = 2005;

    /// <summary>CR_SERVER_GONE_ERROR: the connection was closed before a command was sent.</summary>
    public const int ServerGone = 2006;

    /// <summary>CR_SERVER_LOST: the connection died, or a read timed out, while a command ran.</summary>
    public const int ServerLost = 2013;

    /// <summary>CR_COMMANDS_OUT_OF_SYNC: the connection's protocol state is unusable.</summary>
    public const int CommandsOutOfSync = 2014;

    public const int ServerLostExtended = 2055;

    /// <summary>Errors after which the connection (or the attempt to make one) is unusable.</summary>
    public static bool IsConnectionError(int errorNumber) => errorNumber is
        ConnectionError or ConnHostError or UnknownHost or ServerGone or ServerLost or CommandsOutOfSync or ServerLostExtended;
}
