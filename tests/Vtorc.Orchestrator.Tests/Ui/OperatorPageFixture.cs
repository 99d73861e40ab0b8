using System.Net.Http;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Playwright;
using Vtorc.LocalCluster;
using Vtorc.Orchestrator.Daemon;
using Vtorc.Orchestrator.Http;
using Vtorc.Orchestrator.Metrics;
using Vtorc.Orchestrator.Tests.Live;

namespace Vtorc.Orchestrator.Tests.Ui;

/// <summary>
/// One real shard (etcd, three MariaDB servers and their agents) watched by one real daemon with two HTTP servers
/// (allow-all and read-only), and one headless Debian chromium driven by Playwright. The anti-flapping block is off, so
/// the tests' failovers do not hold each other up. Screenshots go to docs/screenshots with VTORC_SCREENSHOTS=1 (how
/// the committed ones are made), otherwise next to the test binaries.
/// </summary>
public sealed class OperatorPageFixture : IAsyncLifetime
{
    /// <summary>Debian's chromium; browsers cannot be downloaded here, and scripts/install-deps installs this one.</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    public static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(120);

    private LiveCluster? _live;
    private IPlaywright? _playwright;
    private string _profile = "";

    public LiveCluster Live => _live ?? throw new InvalidOperationException("not started");

    public OrchestratorDaemon Daemon { get; private set; } = null!;

    public OrchestratorHttpServer Server { get; private set; } = null!;

    public OrchestratorHttpServer ReadOnlyServer { get; private set; } = null!;

    public IBrowserContext Browser { get; private set; } = null!;

    public VtorcMetrics Metrics { get; } = new();

    public string ScreenshotDirectory { get; private set; } = "";

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing: run scripts/install-deps (it installs Debian's chromium)");
        }
        _live = await LiveCluster.StartAsync(NullLoggerFactory.Instance);
        Daemon = await Live.StartDaemonAsync(o => o with { Recovery = o.Recovery with { RecoveryPeriodBlockDuration = TimeSpan.Zero } });
        Server = await StartServerAsync(SecurityPolicy.AllowAllName);
        ReadOnlyServer = await StartServerAsync(SecurityPolicy.ReadOnlyName);

        // A loaded 2-core machine runs a failover in seconds, not milliseconds; expectations wait up to this long.
        Assertions.SetDefaultExpectTimeout(90_000);
        _playwright = await Playwright.CreateAsync();
        _profile = Directory.CreateTempSubdirectory("vtorc-chromium-").FullName;
        Browser = await _playwright.Chromium.LaunchPersistentContextAsync(_profile, new BrowserTypeLaunchPersistentContextOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"],
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
            Timeout = 60_000,
        });
        ScreenshotDirectory = Environment.GetEnvironmentVariable("VTORC_SCREENSHOTS") == "1"
            ? Path.Combine(RepositoryRoot(), "docs", "screenshots")
            : Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(ScreenshotDirectory);

        await Live.WaitForHealthyShardAsync(StartDeadline, "the daemon elected a primary that every replica follows");
    }

    private Task<OrchestratorHttpServer> StartServerAsync(string policy) =>
        OrchestratorHttpServer.StartAsync(Daemon.Queries, Daemon.Actions, Metrics,
            new HttpServerOptions { Port = 0, BindAddress = "127.0.0.1", SecurityPolicy = policy }, NullLoggerFactory.Instance, AgentCluster.Deadline());

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Vtorc.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"no Vtorc.slnx above {AppContext.BaseDirectory}");
    }

    /// <summary>A new tab on <paramref name="server"/>'s page at <paramref name="path"/>, once its first overview has rendered.</summary>
    /// <param name="log">Hears the page's console messages and script errors (the test's output, shown when it fails).</param>
    public async Task<IPage> OpenAsync(OrchestratorHttpServer server, string path = "/", Action<string>? log = null)
    {
        var page = await Browser.NewPageAsync();
        if (log is not null)
        {
            page.Console += (_, message) => log($"page console {message.Type}: {message.Text}");
            page.PageError += (_, error) => log($"page error: {error}");
        }
        page.SetDefaultTimeout(90_000);
        await page.GotoAsync(new Uri(server.BaseAddress, path).ToString());
        await Assertions.Expect(page.Locator("body[data-ready=true]")).ToHaveCountAsync(1);
        return page;
    }

    /// <summary>The action bodies' field names as the page writes them (<c>Scope</c>, not the web default <c>scope</c>).</summary>
    private static readonly JsonSerializerOptions PascalCase = new();

    /// <summary>Posts one of the page's actions the way the page does (token from /api/ui/session), outside the browser.</summary>
    public static async Task<(int Status, string Body)> PostActionAsync(OrchestratorHttpServer server, string action, object body)
    {
        using var client = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        using var session = JsonDocument.Parse(await client.GetStringAsync("/api/ui/session"));
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/ui/actions/{action}") { Content = JsonContent.Create(body, options: PascalCase) };
        request.Headers.Add("X-Vtorc-Csrf-Token", session.RootElement.GetProperty("CsrfToken").GetString());
        using var response = await client.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        _playwright?.Dispose();
        foreach (var server in new[] { Server, ReadOnlyServer })
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }
        }
        if (_live is not null)
        {
            await _live.DisposeAsync();
        }
        Metrics.Dispose();
        if (_profile.Length != 0)
        {
            try
            {
                Directory.Delete(_profile, recursive: true);
            }
            catch (IOException)
            {
                // chromium may still be writing its profile while it exits; the temporary directory is left behind.
            }
        }
    }
}
