using System.CommandLine;
using Vtorc.Cli.Flags;

namespace Vtorc.Cli;

/// <summary>The `vtorc` command tree. Kept separate from Main so tests can run commands in-process.</summary>
public static class VtorcApp
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var root = BuildRootCommand(output, error);
        var parseResult = root.Parse(FlagSpelling.Normalize(args));
        var invocation = new InvocationConfiguration { Output = output, Error = error };
        return await parseResult.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
    }

    public static RootCommand BuildRootCommand(TextWriter output, TextWriter error)
    {
        var root = new RootCommand(
            "vtorc: automated failure detection and repair for MySQL/MariaDB replication shards, " +
            "compatible with Vitess's VTOrc (etcd topology, TabletManager gRPC).");
        root.SetAction(_ =>
        {
            error.WriteLine("vtorc: the orchestrator daemon is not available yet; see 'vtorc --help' for the commands that are.");
            return 2;
        });
        root.Add(Ctl.CtlCommand.Build(output, error));
        root.Add(Tablets.TabletCommand.Build(output, error));
        return root;
    }
}
