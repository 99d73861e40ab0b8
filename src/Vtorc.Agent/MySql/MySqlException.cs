namespace Vtorc.Agent.MySql;

/// <summary>
/// A MySQL/MariaDB error (from the server or from the client library). The message follows Vitess's shape,
/// <c>"&lt;message&gt; (errno N) (sqlstate XXXXX) during query: &lt;sql&gt;"</c>, so code that looks for
/// <c>(errno N)</c> in an error text (as Vitess clients do) finds it; connection failures end with
/// <c>"connecting to &lt;host:port or socket&gt; as user '&lt;user&gt;'"</c> instead.
/// </summary>
public sealed class MySqlException : Exception
{
    public MySqlException(int errorNumber, string sqlState, string serverMessage, string? query = null, string? endpoint = null,
        string? user = null, Exception? innerException = null)
        : base(Format(errorNumber, sqlState, serverMessage, query, endpoint, user), innerException)
    {
        ErrorNumber = errorNumber;
        SqlState = sqlState;
        ServerMessage = serverMessage;
        Query = query is null ? null : QueryRedaction.ForErrorMessage(query);
        Endpoint = endpoint;
    }

    /// <summary>The MySQL errno: server errors are 1000–1999 and 3000+, client-library errors 2000–2999.</summary>
    public int ErrorNumber { get; }

    public string SqlState { get; }

    /// <summary>The error text alone, as the server or library gave it.</summary>
    public string ServerMessage { get; }

    /// <summary>The statement that failed, with passwords redacted; null for connection failures.</summary>
    public string? Query { get; }

    /// <summary>"host:port" or socket path of the server, when known.</summary>
    public string? Endpoint { get; }

    /// <summary>
    /// The connection can no longer be used (lost, timed out, refused or never established), as opposed to an
    /// error in the statement itself.
    /// </summary>
    public bool IsConnectionError => MySqlErrorCode.IsConnectionError(ErrorNumber);

    private static string Format(int errorNumber, string sqlState, string serverMessage, string? query, string? endpoint, string? user)
    {
        var text = $"{serverMessage} (errno {errorNumber}) (sqlstate {sqlState})";
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
