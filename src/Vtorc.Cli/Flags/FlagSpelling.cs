namespace Vtorc.Cli.Flags;

/// <summary>
/// Vitess spelled flags with underscores up to v22 and with dashes from v23 on; operators have scripts
/// with either spelling, so both are accepted by rewriting the flag name (never its value) to dashes. The glog flags
/// that keep their underscores in every Vitess version (go/vt/utils/flags.go) are left as written.
/// </summary>
internal static class FlagSpelling
{
    /// <summary>Flags Vitess never renames; their dashed spellings are aliases of these.</summary>
    public static readonly IReadOnlySet<string> KeptVerbatim = new HashSet<string>(StringComparer.Ordinal) { "--log_dir", "--log_link", "--log_backtrace_at" };

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
            var normalized = KeptVerbatim.Contains(name) ? name : "--" + name[2..].Replace('_', '-');
            result[i] = equals < 0 ? normalized : normalized + arg[equals..];
        }

        return result;
    }
}
