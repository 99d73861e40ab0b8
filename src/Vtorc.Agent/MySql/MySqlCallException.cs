using System.Data;
using MySqlConnector;

namespace Vtorc.Agent.MySql;

/// <summary>
/// A failed call to MySQL/MariaDB: the driver's error (<see cref="Exception.InnerException"/>, a
/// <see cref="MySqlException"/> or the I/O error of a lost connection) with the server and the statement it was
/// about. The message follows Vitess's shape, <c>"&lt;message&gt; (errno N) (sqlstate XXXXX) during query: &lt;sql&gt;"</c>,
/// so code that looks for <c>(errno N)</c> in an error text (as Vitess clients do) finds it; connection failures end
/// with <c>"connecting to &lt;host:port or socket&gt; as user '&lt;user&gt;'"</c> instead. Passwords in the statement are
/// redacted (<see cref="QueryRedaction"/>).
/// </summary>
public sealed class MySqlCallException : Exception
{
    /// <summary>CR_SERVER_LOST: the connection broke under a statement, or the statement got no answer in time.</summary>
    public const int ServerLost = 2013;

    /// <summary>CR_CONNECTION_ERROR: cannot connect through the unix socket.</summary>
    public const int ConnectionError = 2002;

    /// <summary>CR_CONN_HOST_ERROR: cannot connect to host:port (refused, timed out, or the login could not complete).</summary>
    public const int ConnHostError = 2003;

    public MySqlCallException(int number, string sqlState, string serverMessage, string? query = null, string? endpoint = null,
        string? user = null, bool connectionLost = false, Exception? innerException = null)
        : base(Format(number, sqlState, serverMessage, query, endpoint, user), innerException)
    {
        Number = number;
        SqlState = sqlState;
        ServerMessage = serverMessage;
        Query = query is null ? null : QueryRedaction.ForErrorMessage(query);
        Endpoint = endpoint;
        IsConnectionError = connectionLost || IsConnectionNumber(number);
    }

    /// <summary>The error number: server errors are 1000–1999 and 3000+, client-side ones 2000–2999 (<see cref="ServerLost"/>,
    /// <see cref="ConnectionError"/>, <see cref="ConnHostError"/>).</summary>
    public int Number { get; }

    /// <summary><see cref="Number"/> as the driver's enumeration, for matching (e.g. <see cref="MySqlErrorCode.NoSuchTable"/>).</summary>
    public MySqlErrorCode ErrorCode => (MySqlErrorCode)Number;

    public string SqlState { get; }

    /// <summary>The error text alone, as the server or driver gave it.</summary>
    public string ServerMessage { get; }

    /// <summary>The statement that failed, with passwords redacted; null for connection failures.</summary>
    public string? Query { get; }

    /// <summary>"host:port" or socket path of the server, when known.</summary>
    public string? Endpoint { get; }

    /// <summary>
    /// mysqld could not be reached, did not answer in time, or the connection broke: as opposed to an error in the
    /// statement itself, which leaves the connection usable.
    /// </summary>
    public bool IsConnectionError { get; }

    /// <summary>The call's error from what the driver threw; null when <paramref name="error"/> is not a driver or I/O error.</summary>
    /// <remarks>The driver's own numbers for a server that could not be reached (1042) or did not answer in time (-1)
    /// become the numbers MySQL's client library (and so vttablet's error texts) use: 2002 (unix socket) or 2003 (TCP)
    /// for a failed connect, 2013 for a statement that got no answer in time or lost its connection.</remarks>
    internal static MySqlCallException? From(Exception error, MySqlConnection connection, string? query, string endpoint, string? user)
    {
        var lost = connection.State != ConnectionState.Open;
        return error switch
        {
            MySqlException { ErrorCode: MySqlErrorCode.UnableToConnectToHost } e when query is null => new MySqlCallException(
                endpoint.StartsWith('/') ? ConnectionError : ConnHostError, SqlStateOf(e), Describe(e), query, endpoint, user, connectionLost: true, innerException: e),
            MySqlException { ErrorCode: MySqlErrorCode.CommandTimeoutExpired } e => new MySqlCallException(ServerLost, SqlStateOf(e), e.Message, query, endpoint, user,
                connectionLost: true, innerException: e),
            // "Failed to read the result set." and the like: the driver's own failure without a number, the connection gone.
            MySqlException { Number: 0 } e when lost => new MySqlCallException(ServerLost, SqlStateOf(e), Describe(e), query, endpoint, user,
                connectionLost: true, innerException: e),
            MySqlException e => new MySqlCallException(e.Number, SqlStateOf(e), e.Message, query, endpoint, user, connectionLost: lost, innerException: e),
            IOException or System.Net.Sockets.SocketException or MySqlProtocolException => new MySqlCallException(ServerLost, "HY000",
                $"Lost connection to MySQL server ({error.Message})", query, endpoint, user, connectionLost: true, innerException: error),
            // The driver's "Connection must be Open" after the server closed it.
            InvalidOperationException when lost && connection.State != ConnectionState.Closed => new MySqlCallException(ServerLost, "HY000",
                $"Lost connection to MySQL server ({error.Message})", query, endpoint, user, connectionLost: true, innerException: error),
            _ => null,
        };
    }

    private static string SqlStateOf(MySqlException e) => string.IsNullOrEmpty(e.SqlState) ? "HY000" : e.SqlState;

    /// <summary>The driver's message with the cause it wraps ("Couldn't connect to server: Connection refused").</summary>
    private static string Describe(Exception e) => e.InnerException is { } inner && !e.Message.Contains(inner.Message, StringComparison.Ordinal)
        ? $"{e.Message}: {inner.Message}"
        : e.Message;

    /// <summary>Numbers that mean the server was not reached or the connection is gone, whoever reported them.</summary>
    private static bool IsConnectionNumber(int number) => number is (int)MySqlErrorCode.UnableToConnectToHost or (int)MySqlErrorCode.CommandTimeoutExpired
        or (int)MySqlErrorCode.ServerShutdown or 1927 /* ER_CONNECTION_KILLED */ or ConnectionError or ConnHostError or 2005 or 2006 or ServerLost
        or 2014 or 2055;

    private static string Format(int number, string sqlState, string serverMessage, string? query, string? endpoint, string? user)
    {
        var text = $"{serverMessage} (errno {number}) (sqlstate {sqlState})";
        if (query is not null)
        {
            return $"{text} during query: {QueryRedaction.ForErrorMessage(query)}";
        }
        if (endpoint is not null)
        {
            return user is null ? $"{text} connecting to {endpoint}" : $"{text} connecting to {endpoint} as user '{user}'";
        }
        return text;
    }
}
