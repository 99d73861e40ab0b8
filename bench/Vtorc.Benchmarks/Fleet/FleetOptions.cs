using System.Globalization;

namespace Vtorc.Benchmarks.Fleet;

/// <summary>The arguments of <c>fleet</c> (see <see cref="FleetCommand"/>).</summary>
internal sealed record FleetOptions
{
    public int Tablets { get; init; } = 1000;

    public TimeSpan Poll { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(60);

    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(15);

    public int FailPrimaries { get; init; }

    public bool HangShard { get; init; }

    public int Instances { get; init; } = 1;

    /// <summary>Whether the simulated tablets serve StreamHealth as our agent does (<c>--health-stream on|off</c>).</summary>
    public bool HealthStream { get; init; } = true;

    /// <summary>After the warm-up, measure the operator page in a browser instead of the fleet window (<see cref="UiPageProbe"/>).</summary>
    public bool UiPage { get; init; }

    /// <summary>
    /// <c>--daemon-nice N</c>: the daemons run at this nice value (−20 to 19; below 0 needs root), the simulator, etcd and
    /// chromium at the default. In a deployment the 10,000 tablets are other machines; on one small machine the
    /// simulator of their RPCs takes most of the CPU, and with equal priority the daemon waits for it. Null: not set.
    /// </summary>
    public int? DaemonNice { get; init; }

    /// <summary>Extra flags passed to every daemon as they are (e.g. flags a newer daemon has).</summary>
    public IReadOnlyList<string> DaemonFlags { get; init; } = [];

    public const string Usage =
        "fleet --tablets N [--poll 1s] [--duration 60s] [--warmup 15s] [--fail-primaries K] [--hang-shard] [--instances 1|2] [--health-stream on|off] [--daemon-flag FLAG]... [--daemon-nice N] [--ui-page]";

    /// <exception cref="ArgumentException">An unknown option or a bad value; the message names it.</exception>
    public static FleetOptions Parse(IReadOnlyList<string> args)
    {
        var options = new FleetOptions();
        var daemonFlags = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"option \"{args[i]}\" needs a value; usage: {Usage}");
            options = args[i] switch
            {
                "--tablets" => options with { Tablets = Integer("--tablets", Value(), 4) },
                "--poll" => options with { Poll = ParseDuration("--poll", Value()) },
                "--duration" => options with { Duration = ParseDuration("--duration", Value()) },
                "--warmup" => options with { Warmup = ParseDuration("--warmup", Value()) },
                "--fail-primaries" => options with { FailPrimaries = Integer("--fail-primaries", Value(), 0) },
                "--hang-shard" => options with { HangShard = true },
                "--instances" => options with { Instances = Integer("--instances", Value(), 1) },
                "--health-stream" => options with { HealthStream = OnOff("--health-stream", Value()) },
                "--ui-page" => options with { UiPage = true },
                "--daemon-flag" => AddFlag(options, daemonFlags, Value()),
                "--daemon-nice" => options with { DaemonNice = Nice("--daemon-nice", Value()) },
                _ => throw new ArgumentException($"unknown option \"{args[i]}\"; usage: {Usage}"),
            };
        }
        if (options.Tablets % FleetLayout.TabletsPerShard != 0)
        {
            throw new ArgumentException($"--tablets {options.Tablets} is not a multiple of {FleetLayout.TabletsPerShard} (shards of a primary and three replicas)");
        }
        if (options.Instances > 3)
        {
            throw new ArgumentException($"--instances {options.Instances}: at most 3");
        }
        int shards = options.Tablets / FleetLayout.TabletsPerShard;
        int faultShards = options.FailPrimaries + (options.HangShard ? 2 : 0);
        if (faultShards > shards)
        {
            throw new ArgumentException($"--fail-primaries {options.FailPrimaries}{(options.HangShard ? " and --hang-shard (2 shards)" : "")} needs {faultShards} shards; the fleet has {shards}");
        }
        return options with { DaemonFlags = daemonFlags };
    }

    private static FleetOptions AddFlag(FleetOptions options, List<string> flags, string flag)
    {
        flags.Add(flag);
        return options;
    }

    private static bool OnOff(string option, string text) => text switch
    {
        "on" => true,
        "off" => false,
        _ => throw new ArgumentException($"{option} \"{text}\" is neither \"on\" nor \"off\""),
    };

    private static int Nice(string option, string text) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) && v is >= -20 and <= 19
            ? v
            : throw new ArgumentException($"{option} \"{text}\" is not a nice value from -20 to 19");

    private static int Integer(string option, string text, int minimum) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v >= minimum
            ? v
            : throw new ArgumentException($"{option} \"{text}\" is not an integer ≥ {minimum}");

    /// <summary>"1s", "500ms", "2m" or a plain number of seconds.</summary>
    private static TimeSpan ParseDuration(string option, string text)
    {
        (string number, double scale) = text.EndsWith("ms", StringComparison.Ordinal) ? (text[..^2], 0.001)
            : text.EndsWith('s') ? (text[..^1], 1.0)
            : text.EndsWith('m') ? (text[..^1], 60.0)
            : (text, 1.0);
        return double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v > 0
            ? TimeSpan.FromSeconds(v * scale)
            : throw new ArgumentException($"{option} \"{text}\" is not a positive duration (e.g. 1s, 500ms, 2m)");
    }
}
