using System.CommandLine;

namespace Vtorc.Cli.Ctl;

/// <summary>`vtorc ctl …`: operator commands against the topology and the tablets.</summary>
public static class CtlCommand
{
    public static Command Build(TextWriter output, TextWriter error)
    {
        var ctl = new Command("ctl", "Operator commands: cells, keyspaces, shards, tablets, durability policy, reparents.");
        return ctl;
    }
}
