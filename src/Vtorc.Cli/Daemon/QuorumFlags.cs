using System.CommandLine;
using System.Globalization;
using Vtorc.Cli.Flags;
using Vtorc.Orchestrator.Analysis;

namespace Vtorc.Cli.Daemon;

/// <summary>
/// The flags of Vitess main's opt-in PrimaryTabletUnreachableByQuorum detection (go/vt/vtorc/config/config.go), under
/// Vitess's names and defaults. Kept apart from <see cref="DaemonFlags"/> so the group is easy to find and move.
/// </summary>
internal sealed class QuorumFlags
{
    public Option<bool?> Enabled { get; } = DaemonFlags.CreateBool("--emergency-reparent-on-primary-tablet-unreachable", false,
        "run an emergency reparent when the primary cannot be polled and its replicas agree (by their own Pings, "
        + "reported in FullStatus) that they cannot reach it either");

    public Option<long?> FailureThreshold { get; } = new("--shard-tablet-health-failure-threshold")
    {
        Description = "consecutive failed Pings of the primary for a replica to vote it down (default 3)",
        HelpName = "int",
        CustomParser = result => Parse(result.Tokens.Count > 0 ? result.Tokens[^1].Value : "", "--shard-tablet-health-failure-threshold",
            1, long.MaxValue, s => long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : null,
            error => result.AddError(error)),
    };

    public DurationOption Freshness { get; } = DurationOption.Create(
        "--shard-tablet-health-freshness", QuorumSettings.Default.Freshness, "the oldest replica report (and Ping attempt) that still votes",
        allowZero: false);

    public Option<double?> Fraction { get; } = new("--shard-tablet-health-quorum-fraction")
    {
        Description = "share of fresh voters that must vote the primary down, above 0 and at most 1 (default 1)",
        HelpName = "float",
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !(value > 0 && value <= 1))
            {
                result.AddError($"invalid value \"{text}\" for flag --shard-tablet-health-quorum-fraction: expected a number above 0 and at most 1");
                return null;
            }
            return value;
        },
    };

    public Option<int?> MinObservers { get; } = DaemonFlags.CreateInt("--shard-tablet-health-quorum-min-observers", 1, 1, int.MaxValue,
        "fresh voters needed at least");

    public IEnumerable<Option> All => [Enabled, FailureThreshold, Freshness.Option, Fraction, MinObservers];

    public QuorumSettings GetValue(ParseResult parseResult) => new()
    {
        Enabled = parseResult.GetValue(Enabled) ?? false,
        FailureThreshold = parseResult.GetValue(FailureThreshold) ?? QuorumSettings.Default.FailureThreshold,
        Freshness = Freshness.GetValue(parseResult),
        Fraction = parseResult.GetValue(Fraction) ?? QuorumSettings.Default.Fraction,
        MinObservers = parseResult.GetValue(MinObservers) ?? QuorumSettings.Default.MinObservers,
    };

    private static long? Parse(string text, string name, long min, long max, Func<string, long?> parse, Action<string> fail)
    {
        if (parse(text) is not { } value)
        {
            fail($"invalid value \"{text}\" for flag {name}: expected an integer");
            return null;
        }
        if (value < min || value > max)
        {
            fail($"invalid value \"{text}\" for flag {name}: must be at least {min.ToString(CultureInfo.InvariantCulture)}");
            return null;
        }
        return value;
    }
}
