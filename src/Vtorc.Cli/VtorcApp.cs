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
        // SIGTERM cancels the command's token; the daemon then waits up to --shutdown-wait-time for running recoveries
        // (closeVTOrc in go/vt/vtorc/logic/vtorc.go), so the process must not be torn down after System.CommandLine's
        // default 2 s.
        var invocation = new InvocationConfiguration { Output = output, Error = error, ProcessTerminationTimeout = TimeSpan.FromMinutes(5) };
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
        root.SetAction(async (parseResult, cancellationToken) =>
        {
            var flags = daemonFlags.GetValues(parseResult);
            Vtorc.Topo.TopoServerOptions topo;
            System.Security.Cryptography.X509Certificates.X509Certificate2? httpCertificate;
            try
            {
                topo = Ctl.CtlContext.OptionsFrom(parseResult, daemonFlags.Topo);
                httpCertificate = daemonFlags.HttpTls.Load(parseResult);
            }
            catch (Exception e) when (e is Ctl.CtlUsageException or ArgumentException)
            {
                await error.WriteLineAsync($"vtorc: {e.Message}").ConfigureAwait(false);
                return 1;
            }
            return await DaemonRunner.RunAsync(flags, topo, output, error, cancellationToken, daemonFlags.TabletTls.GetValues(parseResult), httpCertificate)
                .ConfigureAwait(false);
        });
        root.Add(Ctl.CtlCommand.Build(output, error));
        root.Add(Tablets.TabletCommand.Build(output, error));
        root.Add(Analyze.AnalyzeCommand.Build(output, error));
        root.Add(Local.LocalCommand.Build(output, error));
        return root;
    }
}
