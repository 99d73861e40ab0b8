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

    /// <summary>TCP connect and handshake limit. The connector counts whole seconds, so this is rounded up.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The longest one network read may wait, i.e. the longest a single statement may run before the call fails
    /// with errno 2013 and the connection is dropped. Whole seconds, rounded up.
    /// </summary>
    public TimeSpan ReadTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest one network write may wait. Whole seconds, rounded up.</summary>
    public TimeSpan WriteTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Lets one query text hold several statements separated by ';'. Off by default.</summary>
    public bool AllowMultipleStatements { get; init; }

    /// <summary>"host:port" or the socket path: what error messages name.</summary>
    public string Endpoint => UnixSocket is { Length: > 0 } socket ? socket : $"{Host}:{Port}";

    /// <summary>Without the password, so options can be logged.</summary>
    public override string ToString() =>
        $"MySqlConnectionOptions {{ Endpoint = {Endpoint}, User = {User}, Database = {Database ?? "(none)"}, "
        + $"ConnectTimeout = {ConnectTimeout}, ReadTimeout = {ReadTimeout}, WriteTimeout = {WriteTimeout} }}";

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
        ValidateTimeout(ReadTimeout, nameof(ReadTimeout));
        ValidateTimeout(WriteTimeout, nameof(WriteTimeout));
    }

    internal static uint WholeSeconds(TimeSpan timeout) => (uint)Math.Ceiling(timeout.TotalSeconds);

    private static void ValidateTimeout(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero || value.TotalSeconds > int.MaxValue)
        {
            throw new ArgumentException($"MySQL {name} {value} must be positive (whole seconds are used)", name);
        }
    }
}
