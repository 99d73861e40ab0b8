using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Http;

namespace Vtorc.Orchestrator.Http;

/// <summary>
/// Who an action of the operator page is recorded as (the "by" of a recovery switch, an acknowledgement, a reparent's
/// audit): there is no login, so the request's address, after the authenticated user when a proxy in front of the
/// server authenticates, or else after the name the operator typed (<see cref="Field"/>, optional): "alice, page from
/// 10.1.2.3", "page from 10.1.2.3". The typed name is the operator's word, not a proof; the address is the connection's.
/// </summary>
internal static class ActionRequester
{
    /// <summary>The optional field of every action's body that names the operator.</summary>
    public const string Field = "Operator";

    public const int MaxNameLength = 64;

    public static string Of(HttpContext context, JsonActionBody body)
    {
        var name = Name(body);
        if (context.User.Identity is { IsAuthenticated: true, Name: { Length: > 0 } user })
        {
            name = user;
        }
        return Describe(name, context.Connection.RemoteIpAddress);
    }

    public static string Describe(string name, IPAddress? remote)
    {
        var from = $"page from {RemoteAddress(remote)}";
        return name.Length == 0 ? from : $"{name}, {from}";
    }

    /// <summary>
    /// The connection's address: X-Forwarded-For is not read, as the server has no setting that says which proxies to
    /// trust, and any client can send the header.
    /// </summary>
    public static string RemoteAddress(IPAddress? remote) => remote?.ToString() ?? "an unknown address";

    /// <summary>The typed name, trimmed; "" when absent or blank.</summary>
    /// <exception cref="QueryParameterException">Longer than <see cref="MaxNameLength"/> or with a character a name has no need of
    /// (a control character would forge lines of the log, a comma the "by" text).</exception>
    public static string Name(JsonActionBody body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var name = body.Text(Field).Trim();
        if (name.Length > MaxNameLength)
        {
            throw new QueryParameterException(
                $"Invalid value for {Field}: {name.Length.ToString(CultureInfo.InvariantCulture)} characters, at most {MaxNameLength.ToString(CultureInfo.InvariantCulture)}");
        }
        foreach (var c in name)
        {
            if (!(char.IsLetterOrDigit(c) || c is ' ' or '.' or '-' or '_' or '@' or '\''))
            {
                throw new QueryParameterException(
                    $"Invalid value for {Field}: '{(char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString())}' is not allowed; a name takes letters, digits, spaces and . - _ @ '");
            }
        }
        return name;
    }
}
