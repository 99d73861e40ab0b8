using System.Diagnostics;
using System.Globalization;
using System.Net.Http;
using Microsoft.Playwright;

namespace Vtorc.Benchmarks.Fleet;

/// <summary>
/// <c>fleet --ui-page</c>: after the fleet's warm-up, the operator page (<c>/</c>) of the first daemon driven by
/// Debian's headless chromium through Playwright, as the browser tests drive it. Measures, over
/// <see cref="Repetitions"/> repetitions (median and worst): the overview API's time and size; page load to
/// <c>document.body.dataset.ready</c> in a fresh browser context (cold cache) and again in the same tab (warm);
/// showing the healthy shards, filtering by a keyspace, a search (the page waits 250 ms after typing), opening a shard
/// view; then, a primary killed per repetition with its shard view open, the time until the page shows the problem and
/// the new primary through its live push, against the time the simulated fleet saw the failover done. Last, the
/// daemon's CPU with no page, one page and several pages open on the overview (idle, only the push), and how many
/// overview requests the pages made meanwhile. Ends with the line
/// <c>ui-page: shards=S load_cold_p50_ms=… load_cold_max_ms=… in_page_cold_p50_ms=… in_page_cold_max_ms=… load_warm_p50_ms=… … page_after_failover_p50_ms=…</c>.
/// </summary>
internal static class UiPageProbe
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private const int Repetitions = 5;

    private const int FailoverRepetitions = 3;

    private const int ManyPages = 5;

    private static readonly TimeSpan CpuWindow = TimeSpan.FromSeconds(30);

    private const float WaitMs = 60_000;

    public static async Task RunAsync(SimulatedFleet fleet, FleetDaemon daemon, HttpClient http, FleetOptions options, Action<string> progress,
        Func<int, SimulatedTablet> currentPrimary, CancellationToken cancellationToken)
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing: run scripts/install-deps (it installs Debian's chromium)");
        }
        var baseUri = new Uri($"http://127.0.0.1:{daemon.HttpPort}/");
        var figures = new List<(string Name, List<double> Values, string Unit)>();
        void Add(string name, string unit, List<double> values)
        {
            figures.Add((name, values, unit));
            progress($"ui-page: {name}: {Summary(values, unit)}");
        }

        // The API alone, as the page asks for it.
        var someShard = fleet.Shards[fleet.Shards.Length / 2][0].Shard;
        var someAlias = fleet.Shards[fleet.Shards.Length / 3][1].AliasText;
        foreach (var (name, query) in new[]
                 {
                     ("api overview (default, healthy collapsed)", ""),
                     ("api overview (healthy shown, page 1 of 50)", "?healthy=show"),
                     ("api overview (keyspace filter)", $"?keyspace={someShard.Keyspace}&healthy=show"),
                     ("api overview (search by alias)", $"?q={someAlias}"),
                     ("api shard view", $"shard?keyspace={someShard.Keyspace}&shard={someShard.Name}"),
                 })
        {
            var ms = new List<double>();
            var bytes = new List<double>();
            for (int i = 0; i < Repetitions; i++)
            {
                var path = query.StartsWith("shard", StringComparison.Ordinal) ? "api/ui/" + query : "api/ui/overview" + query;
                var clock = Stopwatch.StartNew();
                var body = await http.GetByteArrayAsync(new Uri(baseUri, path), cancellationToken);
                ms.Add(clock.Elapsed.TotalMilliseconds);
                bytes.Add(body.Length);
            }
            Add(name, "ms", ms);
            progress($"ui-page: {name}: {bytes.Max() / 1024:0.0} KB");
        }

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"],
            Timeout = 60_000,
        });
        progress($"ui-page: chromium {browser.Version} started; {Repetitions} repetitions; load average {FleetCommand.LoadAverage()}");
        // The browser's own first context and renderer start cost a second or more on the loaded machine, which the first
        // repetition's load measured from here used to include (an operator's browser is already running). A blank page
        // in a throwaway context takes that cost without asking the daemon for anything.
        await using (var warmUp = await browser.NewContextAsync())
        {
            var blank = await warmUp.NewPageAsync();
            await blank.GotoAsync("about:blank");
        }
        progress($"ui-page: browser warmed up (about:blank in a throwaway context, nothing asked of the daemon); load average {FleetCommand.LoadAverage()}");

        var cold = new List<double>();
        var warm = new List<double>();
        var coldOverviewFetch = new List<double>();
        var coldInPage = new List<double>();
        var warmInPage = new List<double>();
        var showHealthy = new List<double>();
        var filter = new List<double>();
        var search = new List<double>();
        var shardView = new List<double>();
        var keyspaces = fleet.Layout.Keyspaces.Select(k => k.Name).ToArray();
        int stepsTimedOut = 0;
        for (int i = 0; i < Repetitions; i++)
        {
            try
            {
                // A new context has an empty cache and no cookies: a first visit.
                await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
                var page = await NewPageAsync(context, progress);
                page.SetDefaultTimeout(WaitMs);
                progress($"ui-page: repetition {i + 1}: loading the page in a new context");
                cold.Add(await LoadAsync(page, baseUri));
                coldInPage.Add(await ReadyMarkAsync(page));
                progress($"ui-page: repetition {i + 1}: cold load in the page (ms from navigation start, start–end): {await LoadTimelineAsync(page)}");
                coldOverviewFetch.Add(await page.EvaluateAsync<double>(
                    "() => Math.max(0, ...performance.getEntriesByType('resource').filter(e => e.name.includes('/api/ui/overview')).map(e => e.duration))"));
                progress($"ui-page: repetition {i + 1}: warm");
                warm.Add(await LoadAsync(page, baseUri));
                warmInPage.Add(await ReadyMarkAsync(page));

                progress($"ui-page: repetition {i + 1}: showHealthy");
                showHealthy.Add(await TimeAsync(() => page.GetByTestId("show-healthy").ClickAsync(),
                    () => page.WaitForFunctionAsync(ShowsHealthyShards, null, Polling())));

                var keyspace = keyspaces[i % keyspaces.Length];
                progress($"ui-page: repetition {i + 1}: filter");
                filter.Add(await TimeAsync(() => page.GetByTestId("fleet-filter-keyspace").SelectOptionAsync(keyspace),
                    () => page.WaitForFunctionAsync("k => { const rows = [...document.querySelectorAll('[data-testid=shard-row]')]; return rows.length > 0 && rows.every(r => r.dataset.keyspace === k); }",
                        keyspace, Polling())));
                await page.GetByTestId("fleet-filter-keyspace").SelectOptionAsync("");

                var target = fleet.Shards[(i * 997 + 11) % fleet.Shards.Length][2];
                progress($"ui-page: repetition {i + 1}: search");
                search.Add(await TimeAsync(() => page.GetByTestId("fleet-search").FillAsync(target.AliasText),
                    () => page.WaitForFunctionAsync("s => { const rows = document.querySelectorAll('[data-testid=shard-row]'); return rows.length === 1 && rows[0].dataset.keyspace === s[0] && rows[0].dataset.shard === s[1]; }",
                        new[] { target.Shard.Keyspace, target.Shard.Name }, Polling())));

                progress($"ui-page: repetition {i + 1}: shardView");
                shardView.Add(await TimeAsync(() => page.Locator("[data-testid=shard-row] a").First.ClickAsync(),
                    () => page.WaitForFunctionAsync("() => document.querySelectorAll('[data-testid=shard-view] [data-testid=tablet-row]').length === 4", null, Polling())));
                progress($"ui-page: repetition {i + 1}/{Repetitions}: cold load {cold[^1]:0} ms (overview fetch {coldOverviewFetch[^1]:0} ms), warm {warm[^1]:0} ms, " +
                    $"show healthy {showHealthy[^1]:0} ms, keyspace filter {filter[^1]:0} ms, search {search[^1]:0} ms, shard view {shardView[^1]:0} ms; load average {FleetCommand.LoadAverage()}");
            }
            catch (TimeoutException e)
            {
                // A step the page never completed is a finding, not the end of the run: counted, and the next repetition starts afresh.
                stepsTimedOut++;
                progress($"ui-page: repetition {i + 1}: a step did not complete within {WaitMs / 1000:0} s: {e.Message.Split('\n')[0]}; load average {FleetCommand.LoadAverage()}");
            }
        }
        progress($"ui-page: steps not completed within {WaitMs / 1000:0} s: {stepsTimedOut} of {Repetitions} repetitions");
        Add("page load, cold (new context) → dataset.ready", "ms", cold);
        Add("  in the page: navigation start → first overview shown (cold)", "ms", coldInPage);
        Add("  of which the overview fetch (resource timing)", "ms", coldOverviewFetch);
        Add("page load, warm (same tab again) → dataset.ready", "ms", warm);
        Add("  in the page: navigation start → first overview shown (warm)", "ms", warmInPage);
        Add("show healthy shards → rows", "ms", showHealthy);
        Add("keyspace filter → rows of that keyspace only", "ms", filter);
        Add("search by alias → its one shard (incl. the page's 250 ms typing pause)", "ms", search);
        Add("click a shard → shard view with its 4 tablets", "ms", shardView);

        // Failovers seen through the live push: the shard view open, its primary killed, no reload.
        var problemSeen = new List<double>();
        var primarySeen = new List<double>();
        var failoverDone = new List<double>();
        var pageBehind = new List<double>();
        await using (var context = await browser.NewContextAsync())
        {
            var page = await NewPageAsync(context, progress);
            page.SetDefaultTimeout(WaitMs);
            await LoadAsync(page, baseUri);
            for (int i = 0; i < FailoverRepetitions; i++)
            {
                try
                {
                    int shard = (i * 613 + 101) % fleet.Shards.Length;
                    var primary = currentPrimary(shard);
                    var place = primary.Shard;
                    progress($"ui-page: failover {i + 1}: opening the shard view of {place.Text}");
                    await page.EvaluateAsync("h => { location.hash = h; }", $"#/shard/{Uri.EscapeDataString(place.Keyspace)}/{Uri.EscapeDataString(place.Name)}");
                    await page.WaitForFunctionAsync("a => { const p = document.querySelector('[data-testid=shard-view] [data-testid=shard-primary]'); return p && p.textContent === a && document.querySelectorAll('[data-testid=shard-view] [data-testid=tablet-row]').length === 4; }",
                        primary.AliasText, Polling());
                    var clock = Stopwatch.StartNew();
                    double? problemAt = null;
                    var problem = page.WaitForFunctionAsync("s => !!document.querySelector(`[data-testid=problem-row][data-keyspace=\"${s[0]}\"][data-shard=\"${s[1]}\"]`)",
                        new[] { place.Keyspace, place.Name }, Polling())
                        .ContinueWith(t => { if (t.IsCompletedSuccessfully) problemAt = clock.Elapsed.TotalMilliseconds; }, TaskScheduler.Default);
                    fleet.Failovers.Killed(shard, fleet.Shards[shard], primary);
                    fleet.Kill(primary);
                    double? seen = null;
                    try
                    {
                        await page.WaitForFunctionAsync("a => { const p = document.querySelector('[data-testid=shard-view] [data-testid=shard-primary]'); return p && p.textContent !== '' && p.textContent !== a; }",
                            primary.AliasText, Polling());
                        seen = clock.Elapsed.TotalMilliseconds;
                    }
                    catch (TimeoutException)
                    {
                        // Counted as not seen; the next repetitions and the CPU windows still run.
                    }
                    var grace = Stopwatch.StartNew();
                    while (fleet.Failovers.Of(shard)?.DoneMs is null && grace.Elapsed < TimeSpan.FromSeconds(30))
                    {
                        await Task.Delay(100, cancellationToken);
                    }
                    await Task.WhenAny(problem, Task.Delay(1000, cancellationToken));
                    double? done = fleet.Failovers.Of(shard)?.DoneMs;
                    if (seen is { } shown)
                    {
                        primarySeen.Add(shown);
                    }
                    if (problemAt is { } p)
                    {
                        problemSeen.Add(p);
                    }
                    if (done is { } d)
                    {
                        failoverDone.Add(d);
                    }
                    if (done is { } dd && seen is { } ss)
                    {
                        pageBehind.Add(ss - dd);
                    }
                    progress($"ui-page: failover {i + 1}/{FailoverRepetitions}, shard {place.Text}: problem on the page after {F(problemAt)} ms, " +
                        $"new primary on the page after {F(seen)} ms, failover done in the fleet after {F(done)} ms; load average {FleetCommand.LoadAverage()}");
                }
                catch (TimeoutException e)
                {
                    // A tab that stopped updating (see BENCHMARKS.md) must not cost the CPU windows below.
                    progress($"ui-page: failover {i + 1}: {e.Message.Split('\n')[0]}; load average {FleetCommand.LoadAverage()}");
                }
            }
        }
        Add("kill → problem shown on the page (live push)", "ms", problemSeen);
        Add("kill → new primary shown on the page (live push)", "ms", primarySeen);
        Add("kill → failover done in the simulated fleet", "ms", failoverDone);
        Add("page behind the fleet (new primary shown − failover done)", "ms", pageBehind);

        // The daemon's CPU with 0, 1 and several idle pages on the overview (only the live push working).
        var cpu = new List<(int Pages, double Cores, int OverviewRequests, string Load)>();
        foreach (int pages in new[] { 0, 1, ManyPages, 0 })
        {
            var contexts = new List<IBrowserContext>();
            int requests = 0;
            try
            {
                for (int p = 0; p < pages; p++)
                {
                    var context = await browser.NewContextAsync();
                    contexts.Add(context);
                    var page = await NewPageAsync(context, progress);
                    page.SetDefaultTimeout(WaitMs);
                    await LoadAsync(page, baseUri);
                    page.Request += (_, r) =>
                    {
                        if (r.Url.Contains("/api/ui/overview", StringComparison.Ordinal))
                        {
                            Interlocked.Increment(ref requests);
                        }
                    };
                }
                daemon.Usage.Start();
                await Task.Delay(CpuWindow, cancellationToken);
                double cores = daemon.Usage.CoresSinceStart();
                cpu.Add((pages, cores, requests, FleetCommand.LoadAverage()));
                progress($"ui-page: daemon CPU with {pages} page(s) open for {CpuWindow.TotalSeconds:0} s: {cores:0.00} cores, {requests} overview requests from the pages; load average {FleetCommand.LoadAverage()}");
            }
            finally
            {
                foreach (var context in contexts)
                {
                    await context.DisposeAsync();
                }
            }
        }

        Console.WriteLine();
        Console.WriteLine($"operator page at {fleet.Shards.Length} shards ({fleet.Tablets.Length} tablets), --instance-poll-time {options.Poll.TotalSeconds:0.###}s, {Repetitions} repetitions (median / worst):");
        foreach (var (name, values, unit) in figures)
        {
            Console.WriteLine($"  {name}: {Summary(values, unit)}");
        }
        foreach (var (pages, cores, requests, load) in cpu)
        {
            Console.WriteLine($"  daemon CPU, {pages} page(s) open: {cores:0.00} cores ({requests} overview requests in {CpuWindow.TotalSeconds:0} s; load average {load})");
        }
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ui-page: shards={fleet.Shards.Length} poll_s={options.Poll.TotalSeconds:0.###} load_cold_p50_ms={Median(cold):0} load_cold_max_ms={Max(cold):0} in_page_cold_p50_ms={Median(coldInPage):0} in_page_cold_max_ms={Max(coldInPage):0} " +
            $"load_warm_p50_ms={Median(warm):0} filter_p50_ms={Median(filter):0} search_p50_ms={Median(search):0} shard_view_p50_ms={Median(shardView):0} " +
            $"page_after_failover_p50_ms={Median(pageBehind):0} cpu_cores_0_1_{ManyPages}_pages={cpu[0].Cores:0.00}/{cpu[1].Cores:0.00}/{cpu[2].Cores:0.00}"));
    }

    /// <summary>
    /// The overview asked for with healthy shards has been shown: nothing is collapsed any more and rows are listed. Not
    /// "a healthy row is listed": with more than a page of shards with problems (while a fleet settles), the first page
    /// holds none.
    /// </summary>
    private const string ShowsHealthyShards =
        "() => document.querySelectorAll('[data-testid=shard-row]').length > 0 && !document.getElementById('fleet-summary').textContent.includes('healthy collapsed')";

    /// <summary>Milliseconds from the page's navigation start to its first overview shown (the page's own mark).</summary>
    private static Task<double> ReadyMarkAsync(IPage page) =>
        page.EvaluateAsync<double>("() => { const m = performance.getEntriesByName('vtorc-ready'); return m.length ? m[0].startTime : -1; }");

    /// <summary>The document's and each request's start and end in the page's own clock, where a slow load spends its time.</summary>
    private static Task<string> LoadTimelineAsync(IPage page) =>
        page.EvaluateAsync<string>("""
            () => {
              const f = (e) => `${Math.round(e.startTime)}–${Math.round(e.responseEnd)}` + (e.connectEnd > e.connectStart ? ` (connect ${Math.round(e.connectEnd - e.connectStart)})` : '');
              const parts = performance.getEntriesByType('navigation').map((e) => `document ${f(e)}`);
              for (const e of performance.getEntriesByType('resource')) parts.push(`${new URL(e.name).pathname} ${f(e)}`);
              const m = performance.getEntriesByName('vtorc-ready');
              if (m.length) parts.push(`ready ${Math.round(m[0].startTime)}`);
              return parts.join(', ');
            }
            """);

    /// <summary>A page whose script errors and failed requests are reported: a page that stops updating says why.</summary>
    private static async Task<IPage> NewPageAsync(IBrowserContext context, Action<string> progress)
    {
        var page = await context.NewPageAsync();
        page.PageError += (_, error) => progress($"ui-page: script error in the page: {error.Split('\n')[0]}");
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                progress($"ui-page: page console {message.Type}: {message.Text}");
            }
        };
        page.RequestFailed += (_, request) => progress($"ui-page: request failed: {request.Method} {request.Url}: {request.Failure}");
        return page;
    }

    private static PageWaitForFunctionOptions Polling() => new() { PollingInterval = 20, Timeout = WaitMs };

    private static async Task<double> LoadAsync(IPage page, Uri baseUri)
    {
        var clock = Stopwatch.StartNew();
        await page.GotoAsync(baseUri.ToString(), new PageGotoOptions { WaitUntil = WaitUntilState.Commit });
        await page.WaitForFunctionAsync("() => document.body && document.body.dataset.ready === 'true'", null, Polling());
        return clock.Elapsed.TotalMilliseconds;
    }

    private static async Task<double> TimeAsync(Func<Task> act, Func<Task> until)
    {
        var clock = Stopwatch.StartNew();
        await act();
        await until();
        return clock.Elapsed.TotalMilliseconds;
    }

    private static double Median(List<double> values) => values.Count == 0 ? double.NaN : values.Order().ElementAt((values.Count - 1) / 2);

    private static double Max(List<double> values) => values.Count == 0 ? double.NaN : values.Max();

    private static string Summary(List<double> values, string unit) =>
        values.Count == 0 ? "no sample" : string.Create(CultureInfo.InvariantCulture, $"{Median(values):0} / {Max(values):0} {unit} (n={values.Count})");

    private static string F(double? value) => value is { } v ? v.ToString("0", CultureInfo.InvariantCulture) : "—";
}
