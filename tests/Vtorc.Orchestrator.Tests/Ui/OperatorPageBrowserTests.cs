using Microsoft.Playwright;
using Vtorc.LocalCluster;
using Vtorc.Orchestrator.Tests.Live;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Vtorc.Orchestrator.Tests.Ui;

/// <summary>
/// The operator page in a real browser (Debian's chromium through Playwright) on a real shard: what an operator sees
/// and does during an incident. Every wait is one of Playwright's expectations with a deadline; each test starts from a
/// healthy shard and leaves one behind.
/// </summary>
[NeedsExternalProcess]
public sealed class OperatorPageBrowserTests(OperatorPageFixture fixture, ITestOutputHelper output) : IClassFixture<OperatorPageFixture>
{
    private static readonly TimeSpan RecoveryDeadline = TimeSpan.FromSeconds(120);

    private static string Ks => LiveCluster.Keyspace;

    private static string ShardPath => $"/#/shard/{Uri.EscapeDataString(LiveCluster.Keyspace)}/{Uri.EscapeDataString(LiveCluster.Shard)}";

    private static ILocator ShardRow(IPage page) =>
        page.Locator($"[data-testid=shard-row][data-keyspace='{LiveCluster.Keyspace}'][data-shard='{LiveCluster.Shard}']");

    private static ILocator ProblemOf(ILocator within, AgentMember tablet) =>
        within.GetByTestId("problem-row").Filter(new() { HasText = $"on {tablet.AliasText}" }).First;

    private static ILocator TabletRow(IPage page, string alias) => page.Locator($"[data-testid=tablet-row][data-alias='{alias}']");

    private Task ScreenshotAsync(IPage page, string name, bool fullPage = true) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(fixture.ScreenshotDirectory, name + ".png"), FullPage = fullPage });

    private async Task<AgentMember> HealthyPrimaryAsync() =>
        await fixture.Live.WaitForHealthyShardAsync(RecoveryDeadline, "the shard has a primary every replica follows");

    /// <summary>
    /// The page at <c>/</c>, its fleet filtered to the test keyspace: the healthy shard is collapsed into a count; a
    /// search by <paramref name="primary"/>'s alias lists it.
    /// </summary>
    private async Task<IPage> OpenFleetSearchedForAsync(AgentMember primary)
    {
        var page = await fixture.OpenAsync(fixture.Server, "/", output.WriteLine);
        await page.GetByTestId("fleet-filter-keyspace").SelectOptionAsync(Ks);
        await Expect(page.GetByTestId("show-healthy")).ToHaveTextAsync("Show 1 healthy shards");
        await page.GetByTestId("fleet-search").FillAsync(primary.AliasText);
        await Expect(ShardRow(page)).ToHaveAttributeAsync("data-state", "healthy");
        return page;
    }

    [Fact]
    public async Task The_page_shows_the_shard_with_its_tablets_and_their_types()
    {
        var primary = await HealthyPrimaryAsync();
        var page = await OpenFleetSearchedForAsync(primary);
        await ShardRow(page).GetByRole(AriaRole.Link).ClickAsync();

        await Expect(page.GetByTestId("shard-view")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("tablet-row")).ToHaveCountAsync(fixture.Live.Cluster.Members.Count);
        await Expect(TabletRow(page, primary.AliasText)).ToHaveAttributeAsync("data-type", "PRIMARY");
        await Expect(page.GetByTestId("shard-primary")).ToHaveTextAsync(primary.AliasText);
        await Expect(page.GetByTestId("connection-status")).ToHaveAttributeAsync("data-state", "live");
        await ScreenshotAsync(page, "shard-view");
        await page.CloseAsync();
    }

    [Fact]
    public async Task A_refetch_that_changes_other_rows_keeps_the_buttons_and_rows_an_operator_may_be_clicking()
    {
        var page = await OpenFleetSearchedForAsync(await HealthyPrimaryAsync());

        // Mark the nodes, then render an overview in which the healthy count and another shard's row differ (as while
        // a large fleet settles): the marked nodes must be the ones still shown, with the new text.
        await page.EvaluateAsync("""
            () => {
              document.querySelector('[data-testid=shard-row]').__marked = true;
              document.querySelector('#healthy-toggle button').__marked = true;
              const o = structuredClone(state.overview);
              o.HealthyCollapsed += 41;
              o.Shards.push({ ...o.Shards[0], Shard: 'zz-other' });
              state.overview = o;
              renderOverview();
            }
            """);

        Assert.True(await page.EvaluateAsync<bool>("() => document.querySelectorAll('[data-testid=shard-row]').length === 2 && document.querySelector('[data-testid=shard-row]').__marked === true"));
        Assert.True(await page.EvaluateAsync<bool>("() => document.querySelector('#healthy-toggle button').__marked === true"));
        await page.CloseAsync();
    }

    [Fact]
    public async Task A_live_change_of_nothing_the_view_shows_does_not_stop_later_refreshes()
    {
        await HealthyPrimaryAsync();
        var page = await fixture.OpenAsync(fixture.Server, "/", output.WriteLine);
        await Expect(page.GetByTestId("show-healthy")).ToHaveTextAsync("Show 1 healthy shards");

        // What the page does for a change event about a shard it does not show (nothing to fetch) while no refresh
        // runs, then a search: done in one turn of the page's script, once it is idle.
        await page.WaitForFunctionAsync("() => { if (refreshing !== null) return false; refresh({}); setFilter({ q: 'no-such-tablet' }); return true; }");

        // The search's answer is shown: with a search nothing is collapsed (before it, the one healthy shard was).
        await Expect(page.Locator("#fleet-summary")).Not.ToContainTextAsync("healthy collapsed");
        await Expect(page.Locator("#fleet-summary")).ToContainTextAsync("0 listed");
        await page.CloseAsync();
    }

    [Fact]
    public async Task Killing_the_primary_shows_the_problem_then_the_new_primary_without_a_reload()
    {
        var oldPrimary = await HealthyPrimaryAsync();
        var page = await fixture.OpenAsync(fixture.Server, ShardPath, output.WriteLine);
        await Expect(page.GetByTestId("shard-primary")).ToHaveTextAsync(oldPrimary.AliasText);
        await page.EvaluateAsync("() => { window.__sameDocument = 'yes'; }");
        // An operator's lock on the shard keeps the repair waiting, so the problem stays on the page long enough to see.
        var lockHolder = await fixture.Live.Cluster.Topo.Locks.LockShardAsync(LiveCluster.Keyspace, LiveCluster.Shard, "test: operator holds the shard",
            AgentCluster.Deadline());
        try
        {
            oldPrimary.Server.Kill();

            await DaemonSeesProblemOfAsync(oldPrimary);
            // Replicas may report problems of their own meanwhile; the one that matters names the dead primary.
            await Expect(ProblemOf(page.GetByTestId("shard-view"), oldPrimary)).ToBeVisibleAsync();
            await Expect(page.GetByTestId("shard-why-not")).ToContainTextAsync("locked");
            await Expect(page.GetByTestId("problems").GetByTestId("problem-row").Filter(new() { HasText = "lock held elsewhere" }).First).ToBeVisibleAsync();
            await ScreenshotAsync(page, "shard-view-problem");
            await page.SetViewportSizeAsync(390, 844);
            await Expect(page.Locator("html")).ToHaveJSPropertyAsync("scrollWidth", 390);
            await ScreenshotAsync(page, "phone-shard-view", fullPage: false);
            await page.SetViewportSizeAsync(1280, 900);
            await page.EvaluateAsync("() => { location.hash = '#/'; }");
            await Expect(page.GetByTestId("fleet-section")).ToBeVisibleAsync();
            await Expect(ShardRow(page)).ToHaveAttributeAsync("data-state", "problem");
            await ScreenshotAsync(page, "overview-problem");
            await page.EvaluateAsync($"() => {{ location.hash = '{ShardPath[1..]}'; }}");
            await Expect(page.GetByTestId("shard-why-not")).ToContainTextAsync("locked");
            await lockHolder.UnlockAsync(AgentCluster.Deadline());
            lockHolder = null;

            await Expect(page.GetByTestId("shard-primary")).Not.ToHaveTextAsync(oldPrimary.AliasText, new() { Timeout = (float)RecoveryDeadline.TotalMilliseconds });
            var newPrimary = await page.GetByTestId("shard-primary").TextContentAsync();
            await Expect(TabletRow(page, newPrimary!)).ToHaveAttributeAsync("data-type", "PRIMARY");
            await Expect(page.GetByTestId("recovery-timeline")).ToContainTextAsync(newPrimary!);
            Assert.Equal("yes", await page.EvaluateAsync<string>("() => window.__sameDocument"));
            Assert.Equal(newPrimary, (await fixture.Live.TopoPrimaryAsync())?.AliasText);
        }
        finally
        {
            if (lockHolder is not null)
            {
                await lockHolder.UnlockAsync(AgentCluster.Deadline());
            }
            await RestoreAsync(oldPrimary);
            await page.CloseAsync();
        }
    }

    [Fact]
    public async Task A_per_shard_disable_stops_the_repair_and_the_page_says_why()
    {
        var oldPrimary = await HealthyPrimaryAsync();
        var page = await fixture.OpenAsync(fixture.Server, ShardPath, output.WriteLine);
        try
        {
            await page.GetByTestId("action-disable-shard").ClickAsync();
            await Expect(page.GetByTestId("confirm-dialog")).ToBeVisibleAsync();
            await Expect(page.GetByTestId("confirm-dialog")).ToContainTextAsync("problems are still detected");
            await page.GetByTestId("confirm-field-Reason").FillAsync("disk replacement on the primary's host");
            await page.GetByTestId("confirm-field-Operator").FillAsync("alice");
            await ScreenshotAsync(page, "confirm-dialog", fullPage: false);
            await page.GetByTestId("confirm-ok").ClickAsync();
            await Expect(page.GetByTestId("action-enable-shard")).ToBeVisibleAsync();
            // No login: the switch records the typed name and where the request came from.
            await Expect(page.GetByTestId("switch-shard")).ToContainTextAsync("by alice, page from 127.0.0.1: disk replacement");

            oldPrimary.Server.Kill();

            await DaemonSeesProblemOfAsync(oldPrimary);
            await Expect(ProblemOf(page.GetByTestId("shard-view"), oldPrimary)).ToBeVisibleAsync();
            await Expect(page.GetByTestId("shard-why-not")).ToContainTextAsync($"disabled for shard {LiveCluster.Keyspace}/{LiveCluster.Shard}",
                new() { Timeout = (float)RecoveryDeadline.TotalMilliseconds });
            // The pipeline has run for the problem and skipped it (that is where the text comes from); a few more ticks
            // still change nothing.
            long ticks = fixture.Daemon.RecoveryTicks;
            await Poll.UntilAsync(() => Task.FromResult(fixture.Daemon.RecoveryTicks >= ticks + 3), RecoveryDeadline, "three more recovery ticks ran");
            Assert.Equal(oldPrimary.AliasText, (await fixture.Live.TopoPrimaryAsync())?.AliasText);
            await Expect(page.GetByTestId("shard-primary")).ToHaveTextAsync(oldPrimary.AliasText);

            await page.GetByTestId("action-enable-shard").ClickAsync();
            // The browser remembers the name for the next confirmation.
            await Expect(page.GetByTestId("confirm-field-Operator")).ToHaveValueAsync("alice");
            await page.GetByTestId("confirm-ok").ClickAsync();

            await Expect(page.GetByTestId("shard-primary")).Not.ToHaveTextAsync(oldPrimary.AliasText, new() { Timeout = (float)RecoveryDeadline.TotalMilliseconds });
        }
        finally
        {
            // Enabled again (a no-op when the page did it) so the daemon repairs the shard for the next test; a failure
            // here must not hide the test's own.
            await OperatorPageFixture.PostActionAsync(fixture.Server, "enable-recoveries",
                new { Scope = "shard", Keyspace = LiveCluster.Keyspace, Shard = LiveCluster.Shard });
            await RestoreAsync(oldPrimary);
            await page.CloseAsync();
        }
    }

    [Fact]
    public async Task A_live_refetch_keeps_the_nodes_of_an_unchanged_problem_and_of_the_shards_buttons()
    {
        var primary = await HealthyPrimaryAsync();
        var replica = fixture.Live.Cluster.Members.First(m => m != primary && m.InitialType == Topodata.TabletType.Replica);
        var page = await fixture.OpenAsync(fixture.Server, "/", output.WriteLine);
        // The shard's switch keeps the daemon from restarting the replica's replication, so the problem stays.
        var (status, body) = await OperatorPageFixture.PostActionAsync(fixture.Server, "disable-recoveries",
            new { Scope = "shard", Keyspace = LiveCluster.Keyspace, Shard = LiveCluster.Shard, Reason = "test: keep the problem" });
        Assert.True(status == 200, body);
        bool globalDisabled = false;
        try
        {
            await replica.ExecuteAsync("STOP SLAVE");
            var problem = ProblemOf(page.GetByTestId("problems"), replica);
            await Expect(problem.Locator(".b-disabled")).ToBeVisibleAsync();
            await problem.EvaluateAsync("node => { node.__kept = 'yes'; }");

            // A search refetches the overview: the fleet's rows change, the fleet-wide problem list does not.
            await page.GetByTestId("fleet-search").FillAsync("no-such-shard");
            await Expect(page.Locator("#fleet-rows")).ToContainTextAsync("no shard matches");

            await Expect(problem).ToBeVisibleAsync();
            Assert.Equal("yes", await problem.EvaluateAsync<string>("node => node.__kept || 'replaced'"));

            // The shard view: the global switch refetches it; the shard's own buttons and its problem do not change.
            await problem.GetByRole(AriaRole.Link).ClickAsync();
            var shardProblem = ProblemOf(page.GetByTestId("shard-view"), replica);
            var button = page.GetByTestId("action-emergency-reparent");
            await Expect(shardProblem).ToBeVisibleAsync();
            await shardProblem.EvaluateAsync("node => { node.__kept = 'yes'; }");
            await button.EvaluateAsync("node => { node.__kept = 'yes'; }");
            globalDisabled = true;
            var (globalStatus, globalBody) = await OperatorPageFixture.PostActionAsync(fixture.Server, "disable-recoveries",
                new { Scope = "global", Reason = "test: refetch the shard view" });
            Assert.True(globalStatus == 200, globalBody);
            await Expect(page.GetByTestId("switch-global")).ToBeVisibleAsync();

            Assert.Equal("yes", await shardProblem.EvaluateAsync<string>("node => node.__kept || 'replaced'"));
            Assert.Equal("yes", await button.EvaluateAsync<string>("node => node.__kept || 'replaced'"));
        }
        finally
        {
            if (globalDisabled)
            {
                await OperatorPageFixture.PostActionAsync(fixture.Server, "enable-recoveries", new { Scope = "global" });
            }
            await replica.ExecuteAsync("START SLAVE");
            await OperatorPageFixture.PostActionAsync(fixture.Server, "enable-recoveries",
                new { Scope = "shard", Keyspace = LiveCluster.Keyspace, Shard = LiveCluster.Shard });
            await fixture.Live.WaitForHealthyShardAsync(RecoveryDeadline, "the replica replicates again");
            await page.CloseAsync();
        }
    }

    [Fact]
    public async Task Acknowledging_from_the_page_records_who_and_why()
    {
        await HealthyPrimaryAsync();
        // The daemon's election of the shard's first primary is a finished recovery; only this test acknowledges.
        var page = await fixture.OpenAsync(fixture.Server, ShardPath, output.WriteLine);
        await Expect(page.GetByTestId("recovery-timeline")).ToBeVisibleAsync();

        await page.GetByTestId("action-acknowledge").ClickAsync();
        await Expect(page.GetByTestId("confirm-dialog")).ToContainTextAsync("lifts the anti-flapping block");
        await page.GetByTestId("confirm-field-Comment").FillAsync("seen by the browser test");
        await page.GetByTestId("confirm-ok").ClickAsync();

        await Expect(page.GetByTestId("flash")).ToContainTextAsync("Acknowledged");
        await Expect(page.GetByTestId("recovery-timeline")).ToContainTextAsync("seen by the browser test");
        await Expect(page.GetByTestId("action-acknowledge")).ToHaveCountAsync(0);
        var recoveries = await fixture.Daemon.Store.ReadRecentRecoveriesAsync(0, AgentCluster.Deadline());
        Assert.Contains(recoveries, r => r.Acknowledgement?.Comment == "seen by the browser test");
        await page.CloseAsync();
    }

    [Fact]
    public async Task A_planned_reparent_from_the_page_moves_the_primary()
    {
        var oldPrimary = await HealthyPrimaryAsync();
        var target = fixture.Live.Cluster.Members.First(m => m != oldPrimary && m.InitialType == Topodata.TabletType.Replica);
        var page = await fixture.OpenAsync(fixture.Server, ShardPath, output.WriteLine);
        await Expect(page.GetByTestId("shard-primary")).ToHaveTextAsync(oldPrimary.AliasText);

        await page.GetByTestId("action-planned-reparent").ClickAsync();
        await Expect(page.GetByTestId("confirm-dialog")).ToContainTextAsync($"current primary {oldPrimary.AliasText}");
        await page.GetByTestId("confirm-field-NewPrimary").SelectOptionAsync(target.AliasText);
        await page.GetByTestId("confirm-ok").ClickAsync();

        await Expect(page.GetByTestId("shard-primary")).ToHaveTextAsync(target.AliasText, new() { Timeout = (float)RecoveryDeadline.TotalMilliseconds });
        await Expect(TabletRow(page, target.AliasText)).ToHaveAttributeAsync("data-type", "PRIMARY");
        Assert.Equal(target.AliasText, (await fixture.Live.TopoPrimaryAsync())?.AliasText);
        // The timeline shows the operator's reparent (not as a recovery): asked for, ended with the new primary, its steps.
        var reparent = page.GetByTestId("operator-reparent").First;
        await Expect(reparent).ToContainTextAsync($"planned reparent to {target.AliasText}", new() { Timeout = (float)RecoveryDeadline.TotalMilliseconds });
        await Expect(reparent).ToContainTextAsync("succeeded");
        await Expect(reparent).ToContainTextAsync($"new primary {target.AliasText} (previous {oldPrimary.AliasText})");
        await Expect(reparent).ToContainTextAsync("requested from the page by");
        await Expect(reparent.Locator("details li").First).ToBeVisibleAsync();
        await fixture.Live.WaitForHealthyShardAsync(RecoveryDeadline, "the old primary follows the new one");
        await page.CloseAsync();
    }

    [Fact]
    public async Task The_read_only_policy_hides_the_actions_and_refuses_them()
    {
        await HealthyPrimaryAsync();
        var page = await fixture.OpenAsync(fixture.ReadOnlyServer, ShardPath, output.WriteLine);

        await Expect(page.GetByTestId("tablet-row").First).ToBeVisibleAsync();
        await Expect(page.GetByTestId("mode")).ToHaveAttributeAsync("data-read-only", "true");
        await Expect(page.GetByTestId("mode")).ToContainTextAsync("read-only");
        await Expect(page.Locator("[data-testid^=action-]")).ToHaveCountAsync(0);
        var (status, body) = await OperatorPageFixture.PostActionAsync(fixture.ReadOnlyServer, "disable-recoveries",
            new { Scope = "shard", Keyspace = LiveCluster.Keyspace, Shard = LiveCluster.Shard, Reason = "must be refused" });
        Assert.Equal(403, status);
        Assert.Contains("Error", body);
        await page.CloseAsync();
    }

    /// <summary>Waits until the daemon itself reports a problem on <paramref name="tablet"/>, so a page that does not
    /// show it fails on its own expectation, not on the daemon's detection.</summary>
    private Task DaemonSeesProblemOfAsync(AgentMember tablet) =>
        Poll.UntilAsync(() => Task.FromResult(fixture.Daemon.CurrentProblems().Any(p => p.AnalyzedInstanceAlias == tablet.AliasText)),
            RecoveryDeadline, $"the daemon reports a problem on {tablet.AliasText}");

    /// <summary>Starts the killed mysqld again and waits until the shard is whole (it rejoins as a replica).</summary>
    private async Task RestoreAsync(AgentMember killed)
    {
        await killed.Server.StartAgainAsync(AgentCluster.Deadline(60));
        await fixture.Live.WaitForHealthyShardAsync(RecoveryDeadline, $"{killed.AliasText} is back and the shard is whole");
    }
}
