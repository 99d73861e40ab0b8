using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Vtorc.Topo;

/// <summary>
/// The informational JSON stored as the value of a lock queue entry (docs/wire-format.md, "Topology locks"; Lock in
/// go/vt/topo/locks.go). Nobody relies on it for exclusion, but operators (and vtctld's error messages) show it, so it
/// is written byte-for-byte like Go's <c>json.MarshalIndent(info, "", "  ")</c>: fixed field order, Go string escaping,
/// <c>Options: {}</c>.
/// </summary>
public sealed record LockDescriptor(string Action, string HostName, string UserName, DateTimeOffset Time, string Status = "Running")
{
    /// <summary>A descriptor for this process: host name and OS user (or "unknown"), the given time.</summary>
    public static LockDescriptor ForThisProcess(string action, DateTimeOffset time) =>
        new(action, LocalHostName(), LocalUserName(), time);

    /// <summary>The JSON text, with <see cref="Time"/> in RFC 3339 at its own offset, whole seconds.</summary>
    public string ToJson()
    {
        var sb = new StringBuilder(256);
        sb.Append("{\n");
        AppendField(sb, "Action", Action);
        AppendField(sb, "HostName", HostName);
        AppendField(sb, "UserName", UserName);
        AppendField(sb, "Time", FormatRfc3339(Time));
        sb.Append("  \"Options\": {},\n");
        sb.Append("  \"Status\": ");
        sb.Append(GoJsonEncoder.Quote(Status));
        sb.Append("\n}");
        return sb.ToString();
    }

    /// <summary>
    /// Reads a lock entry written by us or by Vitess; null when it is not such JSON (older entries lack Options;
    /// foreign entries may be anything).
    /// </summary>
    public static LockDescriptor? TryParse(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            string Text(string name) =>
                root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() ?? "" : "";

            var time = DateTimeOffset.TryParse(Text("Time"), CultureInfo.InvariantCulture, DateTimeStyles.None, out var t)
                ? t
                : default;
            return new LockDescriptor(Text("Action"), Text("HostName"), Text("UserName"), time, Text("Status"));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Go's <c>time.RFC3339</c> layout: <c>2006-01-02T15:04:05Z07:00</c> ("Z" for a zero offset).</summary>
    public static string FormatRfc3339(DateTimeOffset time)
    {
        var date = time.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss", CultureInfo.InvariantCulture);
        if (time.Offset == TimeSpan.Zero)
        {
            return date + "Z";
        }

        var offset = time.Offset;
        var sign = offset < TimeSpan.Zero ? '-' : '+';
        offset = offset.Duration();
        return string.Create(CultureInfo.InvariantCulture, $"{date}{sign}{offset.Hours:D2}:{offset.Minutes:D2}");
    }

    private static void AppendField(StringBuilder sb, string name, string value)
    {
        sb.Append("  \"").Append(name).Append("\": ");
        sb.Append(GoJsonEncoder.Quote(value));
        sb.Append(",\n");
    }

    private static string LocalHostName()
    {
        try
        {
            var name = System.Net.Dns.GetHostName();
            return string.IsNullOrEmpty(name) ? "unknown" : name;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return "unknown";
        }
    }

    private static string LocalUserName()
    {
        try
        {
            var name = Environment.UserName;
            return string.IsNullOrEmpty(name) ? "unknown" : name;
        }
        catch (InvalidOperationException)
        {
            return "unknown";
        }
    }
}
