using System.Globalization;
using System.Text.RegularExpressions;
using Grpc.Core;

namespace Vtorc.Reparent.TabletManager;

/// <summary>Reading MySQL errors out of a tablet's error text (docs/wire-format.md, "Tablet errors").</summary>
internal static partial class TabletManagerErrors
{
    /// <summary>Vitess's own errno for "this MySQL is not a replica".</summary>
    public const int NotReplicaErrno = 100;

    /// <summary>The text a tablet (and our fake tablets) send for <see cref="NotReplicaErrno"/>.</summary>
    public const string NotReplicaText = "no replication status (errno 100) (sqlstate HY000)";

    /// <summary>
    /// The tablet answered "not a replica" (errno 100), however the message was prefixed ("before status failed: …",
    /// our client's tablet/RPC prefix).
    /// </summary>
    public static bool IsNotReplicaError(RpcException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return MySqlErrno(exception.Status.Detail) == NotReplicaErrno || MySqlErrno(exception.Message) == NotReplicaErrno;
    }

    /// <summary>The first <c>(errno N) (sqlstate XXXXX)</c> in the text, as Vitess clients find it; null when absent.</summary>
    public static int? MySqlErrno(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }
        var match = ErrnoPattern().Match(text);
        return match.Success && int.TryParse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out int errno)
            ? errno
            : null;
    }

    [GeneratedRegex(@"\(errno (\d+)\) \(sqlstate [0-9A-Za-z]{5}\)", RegexOptions.CultureInvariant)]
    private static partial Regex ErrnoPattern();
}
