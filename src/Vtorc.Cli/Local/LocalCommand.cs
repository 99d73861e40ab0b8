using System.CommandLine;

namespace Vtorc.Cli.Local;

/// <summary>
/// <c>vtorc local up | status | kill | restart | down</c>: a whole cluster (etcd, MariaDB servers, tablet agents, the
/// orchestrator) on this machine, for the demo. Every subcommand works on one work directory (--dir).
/// </summary>
internal static class LocalCommand
{
    public static Command Build(TextWriter output, TextWriter error)
    {
        var local = new Command("local", "Run a whole cluster on this machine (etcd, MariaDB, tablet agents, the orchestrator) and watch failovers.");
        local.Add(BuildUp(output, error));
        local.Add(BuildStatus(output, error));
        local.Add(BuildKill(output, error));
        local.Add(BuildRestart(output, error));
        local.Add(BuildDown(output, error));
        return local;
    }

    private static Option<string?> DirOption() => new("--dir")
    {
        Description = $"the work directory; default ${LocalWorkDirectory.EnvironmentVariable} or ~/{LocalWorkDirectory.DefaultName}",
    };

    private static Command BuildUp(TextWriter output, TextWriter error)
    {
        var dir = DirOption();
        var tablets = new Option<int>("--tablets") { Description = "tablets (MariaDB server + agent) per shard", DefaultValueFactory = _ => 3 };
        var cells = new Option<string>("--cells") { Description = "comma-separated cells; tablets go round-robin over them", DefaultValueFactory = _ => "zone1" };
        var shards = new Option<string>("--shards") { Description = "comma-separated shards, e.g. 0 or -80,80-", DefaultValueFactory = _ => "0" };
        var keyspace = new Option<string>("--keyspace") { Description = "the keyspace", DefaultValueFactory = _ => "commerce" };
        var durability = new Option<string>("--durability") { Description = "the keyspace's durability policy", DefaultValueFactory = _ => "none" };
        var port = new Option<int>("--port") { Description = "the orchestrator's HTTP port (status page, API); 0 = none", DefaultValueFactory = _ => 13000 };
        var poll = new Option<string>("--instance-poll-time") { Description = "how often the orchestrator polls each tablet", DefaultValueFactory = _ => "1s" };
        var election = new Option<string>("--election-timeout")
        {
            Description = "how long to wait for the orchestrator to elect the primaries",
            DefaultValueFactory = _ => "120s",
        };
        var block = new Option<string>("--recovery-period-block-duration")
        {
            Description = "the orchestrator's anti-flapping period: a second failover of a shard within it waits for an acknowledgement",
            DefaultValueFactory = _ => "30s",
        };
        var rdonly = new Option<int>("--rdonly") { Description = "how many of each shard's tablets are RDONLY (never promoted)", DefaultValueFactory = _ => 0 };
        var daemonFlags = new Argument<string[]>("orchestrator-flags")
        {
            Description = "after --: more flags for the orchestrator daemon, e.g. -- --prevent-cross-cell-failover --wait-replicas-timeout=10s",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var command = new Command("up", "Start the local cluster in the background and wait until the orchestrator has elected a primary.");
        foreach (var option in new Option[] { dir, tablets, cells, shards, keyspace, durability, port, poll, election, block, rdonly })
        {
            command.Add(option);
        }
        command.Add(daemonFlags);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            LocalUpSettings settings;
            try
            {
                settings = LocalUpSettings.Parse(LocalWorkDirectory.Resolve(parseResult.GetValue(dir)), parseResult.GetValue(tablets),
                    parseResult.GetValue(cells)!, parseResult.GetValue(shards)!, parseResult.GetValue(keyspace)!, parseResult.GetValue(durability)!,
                    parseResult.GetValue(port), parseResult.GetValue(poll)!, parseResult.GetValue(election)!, parseResult.GetValue(block)!,
                    parseResult.GetValue(rdonly), parseResult.GetValue(daemonFlags));
            }
            catch (ArgumentException e)
            {
                await error.WriteLineAsync($"vtorc local up: {e.Message}").ConfigureAwait(false);
                return 1;
            }
            return await LocalUp.RunAsync(settings, output, error, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static Command BuildStatus(TextWriter output, TextWriter error)
    {
        var dir = DirOption();
        var command = new Command("status", "Show each shard: primary, who replicates from whom, lag, and the orchestrator's current problems.") { dir };
        command.SetAction((parseResult, cancellationToken) =>
            LocalStatus.RunAsync(LocalWorkDirectory.Resolve(parseResult.GetValue(dir)), output, error, cancellationToken));
        return command;
    }

    private static Command BuildKill(TextWriter output, TextWriter error)
    {
        var dir = DirOption();
        var alias = new Argument<string>("alias") { Description = "the tablet alias, e.g. zone1-0000000100" };
        var agent = new Option<bool>("--agent") { Description = "kill the tablet's agent too (the whole host is lost)" };
        var command = new Command("kill", "SIGKILL a tablet's mysqld (and with --agent its agent) to make the orchestrator repair the shard.") { dir, alias, agent };
        command.SetAction((parseResult, cancellationToken) => LocalKill.KillAsync(LocalWorkDirectory.Resolve(parseResult.GetValue(dir)),
            parseResult.GetValue(alias)!, parseResult.GetValue(agent), output, error, cancellationToken));
        return command;
    }

    private static Command BuildRestart(TextWriter output, TextWriter error)
    {
        var dir = DirOption();
        var alias = new Argument<string>("alias") { Description = "the tablet alias, e.g. zone1-0000000100" };
        var command = new Command("restart", "Start a killed tablet's mysqld and agent again; the orchestrator makes it a replica.") { dir, alias };
        command.SetAction((parseResult, cancellationToken) => LocalKill.RestartAsync(LocalWorkDirectory.Resolve(parseResult.GetValue(dir)),
            parseResult.GetValue(alias)!, output, error, cancellationToken));
        return command;
    }

    private static Command BuildDown(TextWriter output, TextWriter error)
    {
        var dir = DirOption();
        var command = new Command("down", "Stop every process of the local cluster (by pid) and remove its work directory.") { dir };
        command.SetAction((parseResult, cancellationToken) =>
            LocalDown.RunAsync(LocalWorkDirectory.Resolve(parseResult.GetValue(dir)), output, error, cancellationToken));
        return command;
    }
}
