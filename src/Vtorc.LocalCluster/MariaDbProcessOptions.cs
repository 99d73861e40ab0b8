namespace Vtorc.LocalCluster;

/// <summary>How to start a throw-away MariaDB server on loopback.</summary>
public sealed record MariaDbProcessOptions
{
    /// <summary>The server binary; Debian's mariadb-server-core package installs it here.</summary>
    public string ServerPath { get; init; } = "/usr/sbin/mariadbd";

    /// <summary>Creates the system tables of a new data directory.</summary>
    public string InstallDbPath { get; init; } = "/usr/bin/mariadb-install-db";

    /// <summary>
    /// The address mysqld binds and reports to replicas; loopback by default. A server inside a network namespace
    /// (the chaos suite) binds its namespace's address instead.
    /// </summary>
    public string BindAddress { get; init; } = "127.0.0.1";

    /// <summary>@@server_id; null picks the next number of a per-process counter, so servers started together differ.</summary>
    public int? ServerId { get; init; }

    /// <summary>
    /// The account created for the agent and for replication ('User'@'%' and 'User'@'localhost', all privileges
    /// with grant option). Letters, digits, '_', '-' and '.' only, since it is written into SQL.
    /// </summary>
    public string User { get; init; } = "vt";

    public string Password { get; init; } = "vt_pass";

    /// <summary>
    /// An unprivileged account ('AppUser'@'%' and @'localhost': data statements and DDL only, no SUPER, no READ_ONLY
    /// ADMIN), as an application would use: read_only refuses its writes. Same character rules as <see cref="User"/>.
    /// </summary>
    public string AppUser { get; init; } = "vt_app";

    public string AppPassword { get; init; } = "vt_app_pass";

    /// <summary>
    /// Install the system tables once per process into a template directory and copy it for each server
    /// (about 1 s saved per server). The template never holds binary logs or replication state; each server
    /// gets its own server_id, which is all MariaDB GTIDs need to tell servers apart.
    /// </summary>
    public bool UseTemplate { get; init; } = true;

    /// <summary>How long installing plus starting may take, and how long each later start may take.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Where the server's directory (and the template) is created. When null: /dev/shm when it exists
    /// (a tmpfs makes installing and starting several times faster), else the system temp directory.
    /// </summary>
    public string? ParentDirectory { get; init; }

    public string InnoDbBufferPoolSize { get; init; } = "32M";

    /// <summary>Do not start replication threads at server start (--skip-slave-start), as Vitess configures it.</summary>
    public bool SkipReplicaStart { get; init; } = true;

    /// <summary>Extra mariadbd arguments appended as given (e.g. "--rpl-semi-sync-master-enabled=ON").</summary>
    public IReadOnlyList<string> ExtraArguments { get; init; } = [];
}
