using MySqlConnector;

namespace Vtorc.Agent.MySql;

/// <summary>Where and how to connect. TCP when <see cref="UnixSocket"/> is null, the unix socket otherwise.</summary>
public sealed record MySqlConnectionOptions
{
    public string Host { get; init; } = "127.0.0.1";

    public int Port { get; init; } = 3306;

    /// <summary>Path of the server's unix socket; when set, Host and Port are not used.</summary>
    public string? UnixSocket { get; init; }

    public string User { get; init; } = "root";

    public string Password { get; init; } = "";

    /// <summary>Default schema, or none.</summary>
    public string? Database { get; init; }

    /// <summary>TCP connect, TLS and authentication limit. The driver counts whole seconds, so this is rounded up.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The longest one statement may run unless a call asks for more (a position wait does): then the driver kills
    /// the statement on the server (<c>KILL QUERY</c> over a connection of its own) and the call fails with
    /// <see cref="MySqlErrorCode.CommandTimeoutExpired"/>; a server that does not even answer that loses the
    /// connection <see cref="CancelTimeout"/> later. Whole seconds, rounded up.
    /// </summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>TLS to mysqld: off (<see cref="MySqlSslMode.Disabled"/>) unless asked for.</summary>
    public MySqlSslMode SslMode { get; init; } = MySqlSslMode.Disabled;

    /// <summary>The CA certificate (PEM) that mysqld's certificate must chain to, for <see cref="MySqlSslMode.VerifyCA"/>
    /// and <see cref="MySqlSslMode.VerifyFull"/>; null: the system's trusted roots.</summary>
    public string? SslCaFile { get; init; }

    /// <summary>"host:port" or the socket path: what error messages name.</summary>
    public string Endpoint => UnixSocket is { Length: > 0 } socket ? socket : $"{Host}:{Port}";

    /// <summary>
    /// How long a cancelled or timed-out statement waits for the driver's <c>KILL QUERY</c> (and the connection that
    /// sends it) before its own connection is closed. Whole seconds, rounded up.
    /// </summary>
    public TimeSpan CancelTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Without the password, so options can be logged.</summary>
    public override string ToString() =>
        $"MySqlConnectionOptions {{ Endpoint = {Endpoint}, User = {User}, Database = {Database ?? "(none)"}, "
        + $"ConnectTimeout = {ConnectTimeout}, CommandTimeout = {CommandTimeout}, SslMode = {SslMode} }}";

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (UnixSocket is null)
        {
            if (string.IsNullOrWhiteSpace(Host))
            {
                throw new ArgumentException($"MySQL host \"{Host}\" is empty and no unix socket is set", nameof(Host));
            }
            if (Port is < 1 or > 65535)
            {
                throw new ArgumentException($"MySQL port {Port} for host \"{Host}\" is outside 1..65535", nameof(Port));
            }
        }
        else if (UnixSocket.Length == 0)
        {
            throw new ArgumentException("MySQL unix socket path is empty (use null for TCP)", nameof(UnixSocket));
        }
        if (string.IsNullOrEmpty(User))
        {
            throw new ArgumentException($"MySQL user for {Endpoint} is empty", nameof(User));
        }
        ValidateTimeout(ConnectTimeout, nameof(ConnectTimeout));
        ValidateTimeout(CommandTimeout, nameof(CommandTimeout));
        ValidateTimeout(CancelTimeout, nameof(CancelTimeout));
        if (SslCaFile is not null && SslMode is not (MySqlSslMode.VerifyCA or MySqlSslMode.VerifyFull))
        {
            throw new ArgumentException($"MySQL SslCaFile \"{SslCaFile}\" is only used with SslMode VerifyCA or VerifyFull, not {SslMode}", nameof(SslCaFile));
        }
    }

    /// <summary>
    /// The driver's connection string. It holds the password: never log it, never put it on a command line.
    /// </summary>
    /// <param name="pooling">Whether the connection comes from (and goes back to) the driver's pool of idle
    /// connections for these options; a pooled connection is reset (session state cleared) each time it is taken, and
    /// one the server closed meanwhile (killed, mysqld restarted) is replaced by a new one.</param>
    public string ConnectionString(bool pooling)
    {
        Validate();
        var builder = new MySqlConnectionStringBuilder
        {
            UserID = User,
            Password = Password,
            ConnectionTimeout = WholeSeconds(ConnectTimeout),
            DefaultCommandTimeout = WholeSeconds(CommandTimeout),
            CancellationTimeout = (int)WholeSeconds(CancelTimeout),
            SslMode = SslMode,
            CharacterSet = "utf8mb4",
            // Rows are read back as the text the server sends (MySqlCalls); no driver-side reinterpretation.
            TreatTinyAsBoolean = false,
            GuidFormat = MySqlGuidFormat.None,
            AllowZeroDateTime = true,
            // Statements are sent as written: @name is a user variable, never a driver parameter.
            AllowUserVariables = true,
            AllowLoadLocalInfile = false,
            // Rows changed, not rows matched, as the server counts them.
            UseAffectedRows = true,
            Pooling = pooling,
            ConnectionReset = true,
            ApplicationName = "vtorc",
        };
        if (UnixSocket is { } socket)
        {
            builder.ConnectionProtocol = MySqlConnectionProtocol.UnixSocket;
            builder.Server = socket;
        }
        else
        {
            builder.Server = Host;
            builder.Port = (uint)Port;
        }
        if (Database is { } database)
        {
            builder.Database = database;
        }
        if (SslCaFile is { } ca)
        {
            builder.SslCa = ca;
        }
        return builder.ConnectionString;
    }

    internal static uint WholeSeconds(TimeSpan timeout) => (uint)Math.Min(Math.Ceiling(timeout.TotalSeconds), int.MaxValue / 1000);

    private static void ValidateTimeout(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero || value.TotalSeconds > int.MaxValue / 1000)
        {
            throw new ArgumentException($"MySQL {name} {value} must be positive and at most {int.MaxValue / 1000} s (whole seconds are used)", name);
        }
    }
}
