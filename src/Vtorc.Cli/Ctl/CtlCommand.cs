using System.CommandLine;
using Vtorc.Cli.Flags;
using Vtorc.Topo;

namespace Vtorc.Cli.Ctl;

/// <summary>`vtorc ctl …`: operator commands against the topology and the tablets.</summary>
internal static class CtlCommand
{
    public static Command Build(TextWriter output, TextWriter error)
    {
        var ctl = new Command("ctl", "Operator commands: cells, keyspaces, shards, tablets, durability policy, reparents.");
        var flags = new TopoFlags();
        flags.AddTo(ctl, recursive: true);
        // TLS and static auth to tablets, for the reparent commands.
        var tabletTls = new TabletTlsFlags();
        tabletTls.AddTo(ctl, recursive: true);
        var builder = new CtlCommandBuilder(flags, output, error, tabletTls);
        foreach (var command in CellCommands.Build(builder)
                     .Concat(KeyspaceCommands.Build(builder))
                     .Concat(ShardCommands.Build(builder))
                     .Concat(TabletCommands.Build(builder))
                     .Concat(ReparentCommands.Build(builder)))
        {
            ctl.Add(command);
        }

        return ctl;
    }
}

/// <summary>Gives every ctl command the same frame: open the topo from the flags, run, one-line error and exit 1 on failure.</summary>
internal sealed class CtlCommandBuilder(TopoFlags flags, TextWriter output, TextWriter error, TabletTlsFlags? tabletTls = null)
{
    public Command Create(string name, string description, Func<CtlContext, Task> body, params Symbol[] symbols)
    {
        var command = new Command(name, description);
        foreach (var symbol in symbols)
        {
            switch (symbol)
            {
                case Argument argument:
                    command.Add(argument);
                    break;
                case Option option:
                    command.Add(option);
                    break;
            }
        }

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            try
            {
                var options = CtlContext.OptionsFrom(parseResult, flags);
                await using var topo = TopoServer.Open(options);
                await body(new CtlContext(topo, output, parseResult, cancellationToken)
                {
                    TabletSecurity = tabletTls?.GetValues(parseResult) ?? new(),
                }).ConfigureAwait(false);
                return 0;
            }
            catch (Exception e) when (e is CtlUsageException or TopoException or ArgumentException or FormatException
                                          or Reparent.Durability.UnknownDurabilityPolicyException or Protocol.Etcd.EtcdException
                                          or Google.Protobuf.InvalidProtocolBufferException or InvalidOperationException
                                          or Reparent.ReparentDecisionException or Reparent.Operations.ReparentOperationException
                                          or global::Grpc.Core.RpcException)
            {
                await error.WriteLineAsync($"vtorc ctl {name}: {OneLine(e)}").ConfigureAwait(false);
                return 1;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await error.WriteLineAsync($"vtorc ctl {name}: interrupted").ConfigureAwait(false);
                return 130;
            }
        });
        return command;
    }

    private static string OneLine(Exception e)
    {
        var message = e.Message;
        // ArgumentException appends " (Parameter 'x')"; the message already names the thing that was wrong.
        if (e is ArgumentException { ParamName: { } param })
        {
            var suffix = $" (Parameter '{param}')";
            if (message.EndsWith(suffix, StringComparison.Ordinal))
            {
                message = message[..^suffix.Length];
            }
        }

        return message.ReplaceLineEndings(" ").Trim();
    }
}
