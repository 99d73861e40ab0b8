using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Vtorc.Orchestrator.Http;

/// <summary>
/// The parameters of one request (query string, plus the form body of a POST, as Go's <c>FormValue</c> reads them),
/// checked on access: bad ones throw <see cref="QueryParameterException"/> with a message naming the parameter.
/// </summary>
internal sealed class QueryParameters
{
    /// <summary>VTOrc's answer to <c>shard</c> without <c>keyspace</c> (exact text).</summary>
    public const string ShardWithoutKeyspace = Json.InstanceSelection.ShardWithoutKeyspaceMessage;

    private readonly Dictionary<string, StringValues> _values;

    public QueryParameters(IEnumerable<KeyValuePair<string, StringValues>> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        _values = new Dictionary<string, StringValues>(StringComparer.Ordinal);
        foreach (var (name, value) in values)
        {
            _values[name] = _values.TryGetValue(name, out var earlier) ? StringValues.Concat(earlier, value) : value;
        }
    }

    /// <summary>Query string first, then a url-encoded or multipart form body when there is one.</summary>
    public static async Task<QueryParameters> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        IEnumerable<KeyValuePair<string, StringValues>> values = request.Query;
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(cancellationToken).ConfigureAwait(false);
            values = values.Concat(form);
        }
        return new QueryParameters(values);
    }

    /// <summary>The first value, or "" when absent.</summary>
    public string Text(string name) => _values.TryGetValue(name, out var values) && values.Count > 0 ? values[0] ?? "" : "";

    /// <summary>The optional <c>keyspace</c>/<c>shard</c> filter; a shard needs a keyspace.</summary>
    public (string Keyspace, string Shard) ShardFilter()
    {
        var keyspace = Text("keyspace");
        var shard = Text("shard");
        if (shard.Length != 0 && keyspace.Length == 0)
        {
            throw new QueryParameterException(ShardWithoutKeyspace);
        }
        return (keyspace, shard);
    }

    /// <summary>A non-negative integer no larger than <paramref name="max"/>, or <paramref name="absent"/> when not given.</summary>
    public long NonNegativeInteger(string name, long absent, long max = long.MaxValue)
    {
        var text = Text(name);
        if (text.Length == 0)
        {
            return absent;
        }
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value > max)
        {
            throw new QueryParameterException(
                $"Invalid value for {name}: \"{text}\" is not an integer between 0 and {max.ToString(CultureInfo.InvariantCulture)}");
        }
        return value;
    }

    /// <summary>A parameter that must be present and not blank; <paramref name="why"/> tells the caller what to give.</summary>
    public string Required(string name, string why)
    {
        var text = Text(name);
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new QueryParameterException($"Missing value for {name}: {why}");
        }
        return text;
    }
}
