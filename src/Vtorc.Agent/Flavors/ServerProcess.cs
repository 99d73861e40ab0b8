namespace Vtorc.Agent.Flavors;

/// <summary>Where mysqld says its process id is written (same on MySQL and MariaDB).</summary>
internal static class ServerProcess
{
    /// <summary>pid_file (absolute, or relative to datadir) and datadir.</summary>
    public const string PidFileQuery = "SELECT @@GLOBAL.pid_file AS pid_file, @@GLOBAL.datadir AS datadir";
}
