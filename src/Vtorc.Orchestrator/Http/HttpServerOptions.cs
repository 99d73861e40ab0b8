namespace Vtorc.Orchestrator.Http;

/// <summary>The daemon's web flags: <c>--port</c>, <c>--bind-address</c>, <c>--security-policy</c>, and our TLS.</summary>
public sealed record HttpServerOptions
{
    /// <summary>TCP port; 0 picks a free one (tests). The CLI does not start the server at all for <c>--port 0</c>.</summary>
    public int Port { get; init; }

    /// <summary>Address to listen on; empty = every interface.</summary>
    public string BindAddress { get; init; } = "";

    /// <summary>When set the server speaks HTTPS only, with this certificate (and its key); our <c>--http-tls-cert</c>/<c>--http-tls-key</c>.</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2? Certificate { get; init; }

    /// <summary>"" (allow all), "read-only" or "deny-all" (Vitess ACL policies).</summary>
    public string SecurityPolicy { get; init; } = "";

    /// <summary>Where each setting in force came from (the daemon's command line and config file); null when the host
    /// does not know (tests that start the server directly).</summary>
    public Func<IReadOnlyDictionary<string, SettingOrigin>>? SettingOrigins { get; init; }

    /// <summary>How often the operator page's event stream (<c>/api/ui/events</c>) looks for changes while a page is open.</summary>
    public TimeSpan UiEventsInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How often the event stream sends a comment line so proxies and the browser see a live connection.</summary>
    public TimeSpan UiEventsHeartbeat { get; init; } = TimeSpan.FromSeconds(15);
}
