using System.CommandLine;
using System.Globalization;

namespace Vtorc.Cli.Flags;

/// <summary>How the daemon talks to tablets (go/vt/vttablet/tmclient, go/vt/grpccommon): only the gRPC protocol
/// exists, and <c>--grpc-max-message-size</c> bounds the messages sent and received.</summary>
internal sealed class TabletClientFlags
{
    public const int DefaultMaxMessageSize = 16 * 1024 * 1024;

    public Option<string?> Protocol { get; } = new("--tablet-manager-protocol")
    {
        Description = "protocol of the tablet manager RPCs; only grpc is supported (default \"grpc\")",
        HelpName = "string",
        Validators =
        {
            r =>
            {
                var text = r.Tokens.Count > 0 ? r.Tokens[^1].Value : "";
                if (text != "grpc")
                {
                    r.AddError($"invalid value \"{text}\" for flag --tablet-manager-protocol: only grpc is supported");
                }
            },
        },
    };

    public Option<int?> MaxMessageSize { get; } = new("--grpc-max-message-size")
    {
        Description = $"largest gRPC message sent to or accepted from a tablet, in bytes (default {DefaultMaxMessageSize.ToString(CultureInfo.InvariantCulture)})",
        HelpName = "int",
        Validators =
        {
            r =>
            {
                var text = r.Tokens.Count > 0 ? r.Tokens[^1].Value : "";
                if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value <= 0)
                {
                    r.AddError($"invalid value \"{text}\" for flag --grpc-max-message-size: expected a positive number of bytes");
                }
            },
        },
    };

    public IEnumerable<Option> All => [Protocol, MaxMessageSize];

    public void AddTo(Command command)
    {
        foreach (var option in All)
        {
            command.Add(option);
        }
    }
}
