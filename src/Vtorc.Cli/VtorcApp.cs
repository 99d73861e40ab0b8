using System.CommandLine;
using Vtorc.Cli.Daemon;
using Vtorc.Cli.Flags;

namespace Vtorc.Cli;

/// <summary>The `vtorc` command tree. Kept separate from Main so tests can run commands in-process.</summary>
public static class VtorcApp
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var normalized = FlagSpelling.Normalize(args);
        if (new DaemonFlags().CheckBooleanValues(normalized) is { } booleanError)
        {
            error.WriteLine(booleanError);
            return 1;
        }

        var root = BuildRootCommand(output, error);
        var parseResult = root.Parse(normalized);
        var invocation = new InvocationConfiguration { Output = output, Error = error };
        return await parseResult.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
    }

    public static RootCommand BuildRootCommand(TextWriter output, TextWriter error)
    {
        var root = new RootCommand(
            "vtorc: automated failure detection and repair for MySQL/MariaDB replication shards, " +
            "compatible with Vitess's VTOrc (etcd topology, TabletManager gRPC).");
        // The root command is the daemon: its flags are checked while parsing, so a bad value fails before this runs.
        var daemonFlags = new DaemonFlags();
        daemonFlags.AddTo(root);
        root.SetAction(parseResult =>
        {
            _ = daemonFlags.GetValues(parseResult);
            error.WriteLine("vtorc: the orchestrator daemon is not available yet; see 'vtorc --help' for the commands that are.");
            return 2;
        });
        root.Add(Ctl.CtlCommand.Build(output, error));
        root.Add(Tablets.TabletCommand.Build(output, error));
        return root;
    }
}
