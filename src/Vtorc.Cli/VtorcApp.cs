using System.CommandLine;
using Vtorc.Cli.Daemon;
using Vtorc.Cli.Flags;

namespace Vtorc.Cli;

/// <summary>The `vtorc` command tree. Kept separate from Main so tests can run commands in-process.</summary>
internal static class VtorcApp
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var normalized = FlagSpelling.Normalize(args);
        if ((new DaemonCommandLine().CheckBooleanValues(normalized) ?? Tablets.TabletCommand.CheckBooleanValues(normalized)) is { } booleanError)
        {
            error.WriteLine(booleanError);
            return 1;
        }

        var root = BuildRootCommand(output, error, normalized);
        var parseResult = root.Parse(normalized);
        // SIGTERM cancels the command's token; the daemon then waits up to --shutdown-wait-time for running recoveries
        // (closeVTOrc in go/vt/vtorc/logic/vtorc.go), so the process must not be torn down after System.CommandLine's
        // default 2 s.
        var invocation = new InvocationConfiguration { Output = output, Error = error, ProcessTerminationTimeout = TimeSpan.FromMinutes(5) };
        return await parseResult.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
    }

    /// <param name="normalizedArgs">The command line being run; the daemon merges its config file under it.</param>
    public static RootCommand BuildRootCommand(TextWriter output, TextWriter error, IReadOnlyList<string>? normalizedArgs = null)
    {
        var root = new RootCommand(
            "vtorc: automated failure detection and repair for MySQL/MariaDB replication shards, " +
            "compatible with Vitess's VTOrc (etcd topology, TabletManager gRPC).");
        // The root command is the daemon: its flags are checked while parsing, so a bad value fails before this runs.
        var commandLine = new DaemonCommandLine();
        commandLine.AddTo(root);
        // Vitess's -v is --version (its glog verbosity is --v).
        foreach (var version in root.Options.OfType<System.CommandLine.VersionOption>())
        {
            version.Aliases.Add("-v");
        }
        root.SetAction((parseResult, cancellationToken) =>
            DaemonRunner.RunAsync(normalizedArgs ?? [], parseResult, commandLine, output, error, cancellationToken));
        root.Add(Ctl.CtlCommand.Build(output, error));
        root.Add(Tablets.TabletCommand.Build(output, error));
        root.Add(Analyze.AnalyzeCommand.Build(output, error));
        root.Add(Local.LocalCommand.Build(output, error));
        return root;
    }
}
