using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Vtorc.Orchestrator;

namespace Vtorc.Cli.Flags;

/// <summary>
/// The flags of Vitess's <c>vtorc</c> (v22–v24 and main; go/flags/endtoend/vtorc.txt) that mean nothing for this
/// implementation: they are accepted so a Vitess command line runs unchanged, their value is type-checked as Vitess
/// checks it, and each one given is logged once at start as "accepted, no effect" with the reason
/// (docs/vitess-compatibility.md, "Flags").
/// </summary>
internal sealed class NoEffectFlags
{
    private readonly List<(Option Option, string Reason)> _flags = [];

    public NoEffectFlags()
    {
        const string TopoOnlyEtcd = "only the etcd2 topology is supported";
        const string NoPings = "no HTTP/2 PINGs are sent to tablets (docs/wire-format.md, \"Reaching a tablet\")";
        const string OneChannel = "one gRPC channel per tablet, opened on demand and kept";
        const string MetricsAlways = "/metrics and /debug/vars are always served; nothing is pushed";
        const string Go = "a Go runtime setting";

        // VTOrc-specific.
        Add(Duration("--snapshot-topology-interval", TimeSpan.Zero, "deprecated in Vitess v24 and removed in v25"), "the snapshot feature is deprecated in Vitess and does nothing useful");
        Add(Int("--backend-read-concurrency", 32, "maximum concurrent reads of the backend database"), "the SQLite store serialises its own access");
        Add(Int("--backend-write-concurrency", 24, "maximum concurrent writes to the backend database"), "the SQLite store serialises its own access");

        // Topology implementations other than etcd2.
        Add(Int("--topo-read-concurrency", 32, "maximum concurrent topology reads per cell"), "topology reads are bounded per refresh instead");
        Add(Str("--consul-auth-static-file", "", "consul: JSON file with topology tokens"), TopoOnlyEtcd);
        Add(Duration("--topo-consul-lock-delay", TimeSpan.FromSeconds(15), "consul: lock delay"), TopoOnlyEtcd);
        Add(Str("--topo-consul-lock-session-checks", "serfHealth", "consul: session checks"), TopoOnlyEtcd);
        Add(Str("--topo-consul-lock-session-ttl", "", "consul: session TTL"), TopoOnlyEtcd);
        Add(Duration("--topo-consul-watch-poll-duration", TimeSpan.FromSeconds(30), "consul: long-poll duration of watches"), TopoOnlyEtcd);
        Add(Str("--topo-zk-auth-file", "", "zookeeper: auth file"), TopoOnlyEtcd);
        Add(Duration("--topo-zk-base-timeout", TimeSpan.FromSeconds(30), "zookeeper: base timeout"), TopoOnlyEtcd);
        Add(Int("--topo-zk-max-concurrency", 64, "zookeeper: maximum pending requests"), TopoOnlyEtcd);
        Add(Str("--topo-zk-tls-ca", "", "zookeeper: CA"), TopoOnlyEtcd);
        Add(Str("--topo-zk-tls-cert", "", "zookeeper: client certificate"), TopoOnlyEtcd);
        Add(Str("--topo-zk-tls-key", "", "zookeeper: client key"), TopoOnlyEtcd);

        // Tablet-manager and gRPC client tuning.
        Add(Int("--tablet-manager-grpc-concurrency", 8, "per-tablet concurrency of pooled RPCs"), OneChannel);
        Add(Int("--tablet-manager-grpc-connpool-size", 100, "tablets to keep cached connections to"), OneChannel);
        Add(Duration("--grpc-keepalive-time", TimeSpan.FromSeconds(10), "client keepalive ping interval"), NoPings);
        Add(Duration("--grpc-keepalive-timeout", TimeSpan.FromSeconds(10), "client keepalive ping timeout"), NoPings);
        Add(Str("--grpc-compression", "", "gRPC compression (Vitess supports snappy)"), "messages are sent uncompressed, which every tablet accepts");
        Add(Int("--grpc-dial-concurrency-limit", 1024, "concurrent dials"), OneChannel);
        Add(Int("--grpc-initial-conn-window-size", 0, "HTTP/2 connection window"), "the .NET HTTP/2 defaults are used");
        Add(Int("--grpc-initial-window-size", 0, "HTTP/2 stream window"), "the .NET HTTP/2 defaults are used");
        Add(Bool("--grpc-enable-tracing", "gRPC tracing"), "no tracing backend");
        Add(Bool("--grpc-prometheus", "gRPC Prometheus metrics"), "our /metrics has no per-RPC gRPC series");

        // Logging details glog had and we do not.
        Add(Str("--log_backtrace_at", ":0", "glog: emit a stack trace when logging hits this file:line"), "no per-line stack traces");
        Add(Str("--vmodule", "", "glog: per-file verbosity"), "verbosity is global (--v, --log-level)");
        Add(Bool("--log-err-stacks", "stack traces for errors"), "exceptions are always logged with their stack");
        Add(Bool("--log-structured", "structured (slog) logging instead of glog", defaultValue: true), "there is one logger; --log-format picks text or JSON");

        // Viper write-back.
        Add(Duration("--config-persistence-min-interval", TimeSpan.FromSeconds(1), "minimum interval between write-backs of the config file"), "VTOrc never writes its config file back");

        // Process, HTTP server, profiling, stats.
        Add(Duration("--onterm-timeout", TimeSpan.FromSeconds(10), "wait no more than this for OnTermSync hooks"), "there are no shutdown hooks besides --shutdown-wait-time");
        Add(Duration("--onclose-timeout", TimeSpan.FromSeconds(10), "wait no more than this for OnClose hooks"), "there are no shutdown hooks besides --shutdown-wait-time");
        Add(Bool("--catch-sigpipe", "catch and ignore SIGPIPE on stdout and stderr"), ".NET already ignores SIGPIPE");
        Add(Int("--max-stack-size", 67108864, "maximum goroutine stack size in bytes"), Go);
        Add(Str("--pprof", "", "start Go profilers (comma-separated)"), Go + "; use dotnet-trace or dotnet-counters");
        Add(Bool("--pprof-http", "serve /debug/pprof"), Go + "; use dotnet-trace or dotnet-counters");
        Add(Int("--table-refresh-interval", 0, "status page table refresh (ms)"), "the status page is rendered on request");
        Add(Bool("--emit-stats", "push stats to a backend"), MetricsAlways);
        Add(Str("--stats-backend", "", "push-based stats backend"), MetricsAlways);
        Add(Duration("--stats-emit-period", TimeSpan.FromMinutes(1), "interval between stats pushes"), MetricsAlways);
        Add(Str("--stats-common-tags", "", "common tags of pushed stats (label:value,…)"), MetricsAlways);
        Add(Str("--stats-combine-dimensions", "", "dimensions combined into \"all\" in exported stats"), MetricsAlways);
        Add(Str("--stats-drop-variables", "", "variables dropped from exported stats"), MetricsAlways);
    }

    /// <summary>Every flag of the group with why it has no effect.</summary>
    public IReadOnlyList<(Option Option, string Reason)> Flags => _flags;

    public void AddTo(Command command)
    {
        foreach (var (option, _) in _flags)
        {
            command.Add(option);
        }
    }

    /// <summary>The flags of this group given on the command line, each with its reason.</summary>
    public IReadOnlyList<(string Name, string Reason)> Given(ParseResult parseResult) =>
        [.. _flags.Where(f => parseResult.GetResult(f.Option) is { Implicit: false }).Select(f => (f.Option.Name, f.Reason))];

    private void Add(Option option, string reason) => _flags.Add((option, reason));

    private static string Described(string description, string defaultText) =>
        $"{description} (accepted, no effect){(defaultText.Length == 0 ? "" : $" (default {defaultText})")}";

    private static Option<string?> Str(string name, string defaultValue, string description) => new(name)
    {
        Description = Described(description, defaultValue.Length == 0 ? "" : $"\"{defaultValue}\""),
        HelpName = "string",
    };

    private static Option<bool?> Bool(string name, string description, bool defaultValue = false) => new(name)
    {
        Description = Described(description, defaultValue ? "true" : ""),
        Arity = ArgumentArity.ZeroOrOne,
        CustomParser = result => ParseBool(result, name),
    };

    private static Option<long?> Int(string name, long defaultValue, string description) => new(name)
    {
        Description = Described(description, defaultValue == 0 ? "" : defaultValue.ToString(CultureInfo.InvariantCulture)),
        HelpName = "int",
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
            if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }
            result.AddError($"invalid value \"{text}\" for flag {name}: expected an integer");
            return null;
        },
    };

    private static Option<TimeSpan?> Duration(string name, TimeSpan defaultValue, string description) => new(name)
    {
        Description = Described(description, defaultValue == TimeSpan.Zero ? "" : GoDuration.Format(defaultValue)),
        HelpName = "duration",
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
            if (GoDuration.TryParse(text, out var value, out var error))
            {
                return value;
            }
            result.AddError($"invalid value \"{text}\" for flag {name}: {error}");
            return null;
        },
    };

    /// <summary>A Go boolean flag's value: bare = true, or an explicit true/false.</summary>
    public static bool? ParseBool(ArgumentResult result, string name)
    {
        if (result.Tokens.Count == 0)
        {
            return true;
        }
        var text = result.Tokens[^1].Value;
        if (bool.TryParse(text, out var value))
        {
            return value;
        }
        result.AddError($"invalid value \"{text}\" for flag {name}: expected true or false");
        return null;
    }
}
