namespace Vtorc.Cli.Local;

/// <summary>
/// Where a <c>vtorc local</c> cluster keeps everything (etcd, mysqld directories, logs, the state file): --dir, else
/// $VTORC_LOCAL_DIR, else ~/.vtorc-local.
/// </summary>
internal static class LocalWorkDirectory
{
    public const string EnvironmentVariable = "VTORC_LOCAL_DIR";

    public const string DefaultName = ".vtorc-local";

    public static string Resolve(string? dir)
    {
        if (!string.IsNullOrWhiteSpace(dir))
        {
            return Path.GetFullPath(dir);
        }
        var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Path.GetFullPath(configured);
        }
        return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), DefaultName);
    }
}
