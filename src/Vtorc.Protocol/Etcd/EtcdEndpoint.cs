namespace Vtorc.Protocol.Etcd;

/// <summary>One etcd endpoint reduced to the URI the gRPC channel dials.</summary>
internal sealed record EtcdEndpoint(string Original, Uri Address)
{
    /// <summary>
    /// Accepts "host:port", "http://host:port" and "https://host:port" (what the Go client accepts).
    /// A bare "host:port" takes its scheme from whether TLS is configured.
    /// </summary>
    public static EtcdEndpoint Parse(string endpoint, bool useTls)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var text = endpoint.Trim();
        if (text.Length == 0)
        {
            throw new ArgumentException("etcd endpoint is empty", nameof(endpoint));
        }

        string withScheme;
        if (text.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
            || text.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            withScheme = text;
        }
        else if (text.Contains("://", StringComparison.Ordinal))
        {
            throw new ArgumentException($"etcd endpoint \"{endpoint}\" has an unsupported scheme (use host:port, http:// or https://)", nameof(endpoint));
        }
        else
        {
            withScheme = (useTls ? "https://" : "http://") + text;
        }

        if (!Uri.TryCreate(withScheme, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw new ArgumentException($"etcd endpoint \"{endpoint}\" is not host:port or an http(s) URL", nameof(endpoint));
        }
        if (uri.IsDefaultPort && !HasExplicitPort(text))
        {
            throw new ArgumentException($"etcd endpoint \"{endpoint}\" has no port", nameof(endpoint));
        }
        if (uri.AbsolutePath is not ("/" or ""))
        {
            throw new ArgumentException($"etcd endpoint \"{endpoint}\" must not carry a path", nameof(endpoint));
        }
        return new EtcdEndpoint(endpoint, new Uri(uri.GetLeftPart(UriPartial.Authority)));
    }

    private static bool HasExplicitPort(string text)
    {
        var afterScheme = text.Contains("://", StringComparison.Ordinal) ? text[(text.IndexOf("://", StringComparison.Ordinal) + 3)..] : text;
        var authority = afterScheme.Split('/')[0];
        var colon = authority.LastIndexOf(':');
        return colon >= 0 && colon > authority.LastIndexOf(']') && colon < authority.Length - 1;
    }

    public override string ToString() => Address.GetLeftPart(UriPartial.Authority);
}
