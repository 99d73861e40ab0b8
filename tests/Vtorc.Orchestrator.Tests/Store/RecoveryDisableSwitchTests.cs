using Microsoft.Data.Sqlite;
using Vtorc.Orchestrator.Recovery;
using Vtorc.Orchestrator.Store;
using static Vtorc.Orchestrator.Tests.Store.StoreUnderTest;

namespace Vtorc.Orchestrator.Tests.Store;

/// <summary>Our per-keyspace and per-shard recovery switches beside VTOrc's global one, in the history store.</summary>
public sealed class RecoveryDisableSwitchTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Disabled_scopes_are_listed_global_first_then_keyspaces_then_shards(bool fileBacked)
    {
        await using var s = await OpenAsync(fileBacked);
        await s.Store.DisableRecoveriesAsync(RecoveryScope.ForShard("ks", "80-"), "ui", "disk swap", T0, None);
        await s.Store.DisableRecoveriesAsync(RecoveryScope.ForShard("aa", "-80"), "ui", "", T0, None);
        await s.Store.DisableRecoveriesAsync(RecoveryScope.ForKeyspace("zz"), "alice", "migration", T0.AddSeconds(1), None);
        await s.Store.DisableRecoveriesAsync(RecoveryScope.Global, "ui", "incident 42", T0.AddSeconds(2), None);

        var disables = await s.Store.ReadRecoveryDisablesAsync(None);

        Assert.Equal(["globally", "for keyspace zz", "for shard aa/-80", "for shard ks/80-"], disables.Select(d => d.Scope.ToString()));
        Assert.Equal(new RecoveryDisable(RecoveryScope.ForKeyspace("zz"), "alice", "migration", T0.AddSeconds(1)), disables[1]);
        Assert.Equal(new RecoveryDisable(RecoveryScope.Global, "ui", "incident 42", T0.AddSeconds(2)), disables[0]);
        Assert.True(await s.Store.IsGlobalRecoveryDisabledAsync(None));
    }

    [Fact]
    public async Task Enabling_a_scope_removes_exactly_that_scope()
    {
        await using var s = await OpenAsync(fileBacked: false);
        await s.Store.DisableRecoveriesAsync(RecoveryScope.ForKeyspace("ks"), "ui", "", T0, None);
        await s.Store.DisableRecoveriesAsync(RecoveryScope.ForShard("ks", "-80"), "ui", "", T0, None);

        Assert.True(await s.Store.EnableRecoveriesAsync(RecoveryScope.ForKeyspace("ks"), None));
        Assert.False(await s.Store.EnableRecoveriesAsync(RecoveryScope.ForKeyspace("ks"), None));
        Assert.False(await s.Store.EnableRecoveriesAsync(RecoveryScope.Global, None));

        var left = Assert.Single(await s.Store.ReadRecoveryDisablesAsync(None));
        Assert.Equal(RecoveryScope.ForShard("ks", "-80"), left.Scope);
    }

    [Fact]
    public async Task Disabling_again_replaces_who_and_why()
    {
        await using var s = await OpenAsync(fileBacked: false);
        await s.Store.DisableRecoveriesAsync(RecoveryScope.ForShard("ks", "0"), "ui", "first", T0, None);
        await s.Store.DisableRecoveriesAsync(RecoveryScope.ForShard("ks", "0"), "bob", "second", T0.AddMinutes(1), None);

        Assert.Equal(new RecoveryDisable(RecoveryScope.ForShard("ks", "0"), "bob", "second", T0.AddMinutes(1)),
            Assert.Single(await s.Store.ReadRecoveryDisablesAsync(None)));
    }

    [Fact]
    public async Task The_global_switch_of_the_Vitess_endpoints_and_of_the_page_is_one_switch()
    {
        await using var s = await OpenAsync(fileBacked: false);
        await s.Store.DisableRecoveriesAsync(RecoveryScope.Global, "ui", "maintenance", T0, None);

        // /api/enable-global-recoveries clears the page's record of who disabled them too.
        await s.Store.EnableGlobalRecoveriesAsync(None);
        Assert.Empty(await s.Store.ReadRecoveryDisablesAsync(None));

        // /api/disable-global-recoveries through the store's VTOrc verb: listed without who and when.
        await s.Store.DisableGlobalRecoveriesAsync(None);
        Assert.Equal(new RecoveryDisable(RecoveryScope.Global, "", "", null), Assert.Single(await s.Store.ReadRecoveryDisablesAsync(None)));
        Assert.True(await s.Store.EnableRecoveriesAsync(RecoveryScope.Global, None));
        Assert.False(await s.Store.IsGlobalRecoveryDisabledAsync(None));
    }

    [Fact]
    public async Task Scope_disables_survive_reopening_a_file_backed_store()
    {
        await using var s = await OpenAsync(fileBacked: true);
        await s.Store.DisableRecoveriesAsync(RecoveryScope.ForShard("ks", "-80"), "ui", "disk swap", T0, None);
        await s.Store.DisableRecoveriesAsync(RecoveryScope.ForKeyspace("other"), "ui", "", T0, None);

        await s.ReopenAsync();

        Assert.Equal(["for keyspace other", "for shard ks/-80"], (await s.Store.ReadRecoveryDisablesAsync(None)).Select(d => d.Scope.ToString()));
        Assert.False(await s.Store.IsGlobalRecoveryDisabledAsync(None));
    }

    [Fact]
    public async Task A_version_1_store_file_is_migrated_and_keeps_its_global_disable()
    {
        await using var s = await OpenAsync(fileBacked: true);
        await s.Store.DisposeAsync();
        // What vtorc wrote before the per-scope switch: schema version 1, no recovery_disable_scope, recoveries disabled.
        await using (var connection = new SqliteConnection($"Data Source={s.Options.SqliteDataFile};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "DROP TABLE recovery_disable_scope; UPDATE schema_version SET version = 1; " +
                "INSERT INTO global_recovery_disable (disable_recovery) VALUES (1)";
            await command.ExecuteNonQueryAsync();
        }

        await s.ReopenAsync();

        Assert.Equal(new RecoveryDisable(RecoveryScope.Global, "", "", null), Assert.Single(await s.Store.ReadRecoveryDisablesAsync(None)));
        await s.Store.DisableRecoveriesAsync(RecoveryScope.ForShard("ks", "0"), "ui", "", T0, None);
        Assert.Equal(2, (await s.Store.ReadRecoveryDisablesAsync(None)).Count);
        await using (var connection = new SqliteConnection($"Data Source={s.Options.SqliteDataFile};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT version FROM schema_version";
            Assert.Equal((long)StoreSchema.Version, await command.ExecuteScalarAsync());
        }
    }

    [Fact]
    public void The_widest_covering_scope_applies()
    {
        RecoveryDisable shard = new(RecoveryScope.ForShard("ks", "-80"), "ui", "", T0);
        RecoveryDisable keyspace = new(RecoveryScope.ForKeyspace("ks"), "ui", "", T0);
        RecoveryDisable global = new(RecoveryScope.Global, "ui", "", T0);

        Assert.Same(shard, RecoveryDisable.Covering([shard], "ks", "-80"));
        Assert.Null(RecoveryDisable.Covering([shard], "ks", "80-"));
        Assert.Null(RecoveryDisable.Covering([shard], "ks2", "-80"));
        Assert.Same(keyspace, RecoveryDisable.Covering([shard, keyspace], "ks", "-80"));
        Assert.Same(keyspace, RecoveryDisable.Covering([shard, keyspace], "ks", "80-"));
        Assert.Null(RecoveryDisable.Covering([keyspace], "other", "-80"));
        Assert.Same(global, RecoveryDisable.Covering([shard, keyspace, global], "ks", "-80"));
        Assert.Equal("recoveries disabled for shard ks/-80 by ui", shard.Describe());
        Assert.Equal("recoveries disabled for keyspace ks by bob (migration)", (keyspace with { DisabledBy = "bob", Reason = "migration" }).Describe());
    }
}
