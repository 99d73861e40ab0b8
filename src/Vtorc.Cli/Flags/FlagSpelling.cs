namespace Vtorc.Cli.Flags;

/// <summary>
/// Vitess spelled flags with underscores up to v22 and with dashes from v23 on; operators have scripts
/// with either spelling, so both are accepted by rewriting the flag name (never its value) to dashes.
/// </summary>
public static class FlagSpelling
{
    public static string[] Normalize(IReadOnlyList<string> args)
    {
        var result = new string[args.Count];
        var passThrough = false;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (passThrough || !arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
            {
                // A bare "--" ends option parsing: what follows are arguments, spelled as given.
                passThrough |= arg == "--";
                result[i] = arg;
                continue;
            }

            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? arg : arg[..equals];
            var normalized = "--" + name[2..].Replace('_', '-');
            result[i] = equals < 0 ? normalized : normalized + arg[equals..];
        }

        return result;
    }
}
