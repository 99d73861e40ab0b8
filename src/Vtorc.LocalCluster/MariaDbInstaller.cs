using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Vtorc.LocalCluster;

/// <summary>
/// Creates MariaDB data directories with mariadb-install-db, either directly or by copying a per-process template.
/// The accounts are created during the install (bootstrap mode, so nothing reaches a binary log): servers that
/// later replicate from each other must not carry different GTIDs for their own set-up statements.
/// </summary>
internal static partial class MariaDbInstaller
{
    private const string TemplatePrefix = "vtorc-mariadb-template-";

    private static readonly ConcurrentDictionary<string, Lazy<Task<string>>> Templates = new();
    private static int _exitHookInstalled;

    /// <summary>Server settings that both the install (bootstrap) run and every server start use.</summary>
    public static IReadOnlyList<string> TuningArguments(MariaDbProcessOptions options) =>
    [
        "--skip-name-resolve",
        $"--innodb-buffer-pool-size={options.InnoDbBufferPoolSize}",
        "--innodb-log-file-size=8M",
        "--innodb-doublewrite=0",
        "--innodb-temp-data-file-path=ibtmp1:1M:autoextend",
        "--innodb-buffer-pool-load-at-startup=0",
        "--innodb-buffer-pool-dump-at-shutdown=0",
        // Both still survive a SIGKILLed server (the data is in the OS page cache); only an OS crash loses it.
        "--innodb-flush-log-at-trx-commit=2",
        "--sync-binlog=0",
        "--performance-schema=OFF",
        "--key-buffer-size=1M",
        "--aria-pagecache-buffer-size=8M",
        "--character-set-server=utf8mb4",
        "--collation-server=utf8mb4_general_ci",
    ];

    /// <summary>Fills <paramref name="dataDirectory"/> (which must not exist) with a fresh installation.</summary>
    public static async Task CreateDataDirectoryAsync(
        MariaDbProcessOptions options, string parentDirectory, string dataDirectory, string logPath, CancellationToken cancellationToken)
    {
        ValidateAccount(options);
        if (!options.UseTemplate)
        {
            await InstallAsync(options, dataDirectory, Path.GetDirectoryName(dataDirectory)!, logPath, cancellationToken).ConfigureAwait(false);
            return;
        }
        var template = await GetTemplateAsync(options, parentDirectory, cancellationToken).ConfigureAwait(false);
        CopyDirectory(template, dataDirectory);
    }

    private static void ValidateAccount(MariaDbProcessOptions options)
    {
        if (!SafeAccountText().IsMatch(options.User))
        {
            throw new ArgumentException(
                $"MariaDB user name \"{options.User}\" may only hold letters, digits, '_', '-' and '.' (1-80 characters)", nameof(options));
        }
        if (!SafeAccountText().IsMatch(options.Password))
        {
            throw new ArgumentException(
                $"MariaDB password for user \"{options.User}\" may only hold letters, digits, '_', '-' and '.' (1-80 characters)", nameof(options));
        }
    }

    private static async Task<string> GetTemplateAsync(MariaDbProcessOptions options, string parentDirectory, CancellationToken cancellationToken)
    {
        var key = TemplateKey(options, parentDirectory);
        var lazy = Templates.GetOrAdd(key, k => new Lazy<Task<string>>(() => BuildTemplateAsync(options, parentDirectory, k)));
        try
        {
            return await lazy.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (lazy.Value.IsFaulted)
        {
            // A failed build is not cached: the next server tries again.
            Templates.TryRemove(new KeyValuePair<string, Lazy<Task<string>>>(key, lazy));
            throw;
        }
    }

    private static async Task<string> BuildTemplateAsync(MariaDbProcessOptions options, string parentDirectory, string key)
    {
        RemoveTemplatesOfDeadProcesses(parentDirectory);
        InstallExitHook();
        var final = Path.Combine(parentDirectory, $"{TemplatePrefix}{Environment.ProcessId}-{key}");
        if (Directory.Exists(Path.Combine(final, "data")))
        {
            return Path.Combine(final, "data");
        }
        // A bootstrap that dies under a loaded machine (seen once in CI, cause not captured) gets one more try from a
        // clean directory; the second failure is reported with the first one's output too.
        MariaDbStartException? firstFailure = null;
        for (int attempt = 1; ; attempt++)
        {
            var building = $"{final}.building-{Guid.NewGuid():N}";
            Directory.CreateDirectory(building);
            try
            {
                var data = Path.Combine(building, "data");
                using var timeout = new CancellationTokenSource(options.StartTimeout);
                await InstallAsync(options, data, building, Path.Combine(building, "install.log"), timeout.Token).ConfigureAwait(false);
                Directory.Move(building, final);
                return Path.Combine(final, "data");
            }
            catch (MariaDbStartException e) when (attempt == 1)
            {
                TryDelete(building);
                firstFailure = e;
            }
            catch (MariaDbStartException e) when (firstFailure is not null)
            {
                TryDelete(building);
                throw new MariaDbStartException($"{e.Message}\n(the first attempt failed too: {firstFailure.Message})", portClash: false);
            }
            catch
            {
                TryDelete(building);
                throw;
            }
        }
    }

    private static async Task InstallAsync(
        MariaDbProcessOptions options, string dataDirectory, string workDirectory, string logPath, CancellationToken cancellationToken)
    {
        if (!File.Exists(options.InstallDbPath))
        {
            throw new FileNotFoundException(
                $"mariadb-install-db \"{options.InstallDbPath}\" not found (install Debian's mariadb-server package)", options.InstallDbPath);
        }
        var accountsFile = Path.Combine(workDirectory, "accounts.sql");
        await File.WriteAllTextAsync(accountsFile, AccountsSql(options), cancellationToken).ConfigureAwait(false);

        var info = new ProcessStartInfo(options.InstallDbPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workDirectory,
        };
        // Temporary tables in a shared /tmp are not safe: a server starting up removes "#sql-temptable-*" files it
        // takes for its own leftovers, which aborted a concurrent bootstrap in CI. Each install gets its own tmpdir.
        var tmp = Path.Combine(workDirectory, "tmp");
        Directory.CreateDirectory(tmp);
        string[] args =
        [
            "--no-defaults",
            $"--datadir={dataDirectory}",
            $"--tmpdir={tmp}",
            "--auth-root-authentication-method=normal",
            "--skip-test-db",
            $"--extra-file={accountsFile}",
            .. RootUserArgument(),
            .. TuningArguments(options),
        ];
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = new Process { StartInfo = info };
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        if (!process.Start())
        {
            throw new MariaDbStartException($"\"{options.InstallDbPath}\" did not start", portClash: false);
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            throw;
        }
        string text;
        lock (output)
        {
            text = output.ToString();
        }
        await File.WriteAllTextAsync(logPath, text, CancellationToken.None).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            // mariadb-install-db ends with a long generic help text; the server's own error comes before it.
            var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            int generic = Array.FindIndex(lines, l => l.Contains("Installation of system tables failed", StringComparison.Ordinal));
            var tail = string.Join('\n', generic > 0 ? lines[Math.Max(0, generic - 15)..(generic + 1)] : lines.TakeLast(20));
            throw new MariaDbStartException(
                $"mariadb-install-db for \"{dataDirectory}\" exited with code {process.ExitCode}; output ({logPath}):\n{tail}", portClash: false);
        }
    }

    /// <summary>
    /// Bootstrap runs without grant tables; FLUSH PRIVILEGES loads them so CREATE USER works. Root keeps only
    /// its passwordless unix-socket account: TCP clients must use the created account.
    /// </summary>
    private static string AccountsSql(MariaDbProcessOptions options)
    {
        var sql = new StringBuilder();
        sql.AppendLine("FLUSH PRIVILEGES;");
        foreach (var host in new[] { "localhost", "%" })
        {
            sql.AppendLine($"CREATE USER '{options.User}'@'{host}' IDENTIFIED BY '{options.Password}';");
            sql.AppendLine($"GRANT ALL PRIVILEGES ON *.* TO '{options.User}'@'{host}' WITH GRANT OPTION;");
            // An application's account: it may write data but holds neither SUPER nor READ_ONLY ADMIN, so read_only
            // stops it (docs/reliability.md: the invariants are about such clients).
            sql.AppendLine($"CREATE USER '{options.AppUser}'@'{host}' IDENTIFIED BY '{options.AppPassword}';");
            sql.AppendLine($"GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, INDEX, ALTER ON *.* TO '{options.AppUser}'@'{host}';");
        }
        sql.AppendLine("DELETE FROM mysql.global_priv WHERE User = 'root' AND Host <> 'localhost';");
        sql.AppendLine("DELETE FROM mysql.proxies_priv WHERE Host <> 'localhost';");
        return sql.ToString();
    }

    /// <summary>mariadbd refuses to run as root unless told to.</summary>
    public static IEnumerable<string> RootUserArgument() => Geteuid() == 0 ? ["--user=root"] : [];

    private static string TemplateKey(MariaDbProcessOptions options, string parentDirectory)
    {
        var material = string.Join('\n', new[] { options.InstallDbPath, options.ServerPath, parentDirectory, AccountsSql(options) }
            .Concat(TuningArguments(options)));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(material)))[..12];
    }

    private static void CopyDirectory(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(source))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }
        foreach (var directory in Directory.EnumerateDirectories(source))
        {
            CopyDirectory(directory, Path.Combine(target, Path.GetFileName(directory)));
        }
    }

    private static void InstallExitHook()
    {
        if (Interlocked.Exchange(ref _exitHookInstalled, 1) == 0)
        {
            AppDomain.CurrentDomain.ProcessExit += (_, _) =>
            {
                foreach (var lazy in Templates.Values)
                {
                    if (lazy.IsValueCreated && lazy.Value.IsCompletedSuccessfully)
                    {
                        TryDelete(Path.GetDirectoryName(lazy.Value.Result)!);
                    }
                }
            };
        }
    }

    /// <summary>Templates are named after their process; a killed test run leaves one behind, which the next run removes.</summary>
    private static void RemoveTemplatesOfDeadProcesses(string parentDirectory)
    {
        IEnumerable<string> candidates;
        try
        {
            candidates = Directory.EnumerateDirectories(parentDirectory, TemplatePrefix + "*").ToList();
        }
        catch (IOException)
        {
            return;
        }
        catch (UnauthorizedAccessException)
        {
            return;
        }
        foreach (var directory in candidates)
        {
            var rest = Path.GetFileName(directory)[TemplatePrefix.Length..];
            var dash = rest.IndexOf('-', StringComparison.Ordinal);
            if (dash > 0 && int.TryParse(rest.AsSpan(0, dash), out var pid) && pid != Environment.ProcessId && !IsAlive(pid))
            {
                TryDelete(directory);
            }
        }
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    internal static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException)
        {
            // A leftover directory is not worth failing a test run over.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (output)
        {
            output.AppendLine(line);
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,80}$")]
    private static partial Regex SafeAccountText();

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "geteuid")]
    private static extern uint Geteuid();
}
