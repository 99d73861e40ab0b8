using Mvccpb;
using Vtorc.Protocol.Etcd;

namespace Vtorc.Protocol.Tests.Etcd;

[Collection(EtcdCollection.Name)]
[NeedsExternalProcess]
public sealed class EtcdWatchTests(EtcdFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly EtcdClient _client = fixture.Client;

    [Fact]
    public async Task Watch_delivers_puts_and_deletes_in_order()
    {
        var prefix = EtcdFixture.NewPrefix(nameof(Watch_delivers_puts_and_deletes_in_order));
        await using var watch = await _client.WatchPrefixAsync(prefix);

        await _client.PutAsync(prefix + "a", "1");
        await _client.PutAsync(prefix + "b", "2");
        await _client.DeleteAsync(prefix + "a");

        var events = await CollectAsync(watch, 3);
        Assert.Equal(
            [(Event.Types.EventType.Put, "a"), (Event.Types.EventType.Put, "b"), (Event.Types.EventType.Delete, "a")],
            events.Select(e => (e.Type, e.Kv.Key.ToStringUtf8()[prefix.Length..])));
        Assert.True(events[0].Kv.ModRevision < events[1].Kv.ModRevision && events[1].Kv.ModRevision < events[2].Kv.ModRevision);
    }

    [Fact]
    public async Task Watch_from_a_past_revision_replays_history()
    {
        var key = EtcdFixture.NewPrefix(nameof(Watch_from_a_past_revision_replays_history)) + "k";
        var first = await _client.PutAsync(key, "v1");
        await _client.PutAsync(key, "v2");
        await _client.DeleteAsync(key);

        await using var watch = await _client.WatchKeyAsync(key, first.Header.Revision);
        var events = await CollectAsync(watch, 3);

        Assert.Equal(["v1", "v2", ""], events.Select(e => e.Kv.Value.ToStringUtf8()));
        Assert.Equal(Event.Types.EventType.Delete, events[2].Type);
        Assert.Equal(first.Header.Revision, events[0].Kv.ModRevision);
    }

    [Fact]
    public async Task A_progress_request_is_answered_on_a_silent_watch_without_yielding_an_event()
    {
        var prefix = EtcdFixture.NewPrefix(nameof(A_progress_request_is_answered_on_a_silent_watch_without_yielding_an_event));
        await using var watch = await _client.WatchPrefixAsync(prefix);
        using var reading = new CancellationTokenSource(Patience);
        var read = watch.ReadAsync(reading.Token).AsTask();
        await Poll.UntilAsync(() => Task.FromResult(watch.SinceLastResponse >= TimeSpan.FromSeconds(1)), Patience, "the watch has been silent a while");
        var silentFor = watch.SinceLastResponse;

        await watch.RequestProgressAsync(reading.Token);

        // The answer proves the stream alive (the silence starts again) and is no event: the read still waits.
        await Poll.UntilAsync(() => Task.FromResult(watch.SinceLastResponse < silentFor), Patience, "etcd answered the progress request");
        Assert.False(read.IsCompleted);
        await _client.PutAsync(prefix + "k", "v");
        var response = await read;
        Assert.Equal(prefix + "k", Assert.Single(response!.Events).Kv.Key.ToStringUtf8());
    }

    [Fact]
    public async Task Watch_on_one_key_ignores_other_keys()
    {
        var prefix = EtcdFixture.NewPrefix(nameof(Watch_on_one_key_ignores_other_keys));
        await using var watch = await _client.WatchKeyAsync(prefix + "watched");

        await _client.PutAsync(prefix + "other", "x");
        await _client.PutAsync(prefix + "watched", "y");

        var only = Assert.Single(await CollectAsync(watch, 1));
        Assert.Equal(prefix + "watched", only.Kv.Key.ToStringUtf8());
    }

    [Fact]
    public async Task Watching_from_a_compacted_revision_fails_with_the_compact_revision()
    {
        var key = EtcdFixture.NewPrefix(nameof(Watching_from_a_compacted_revision_fails_with_the_compact_revision)) + "k";
        var old = await _client.PutAsync(key, "old");
        var latest = await _client.PutAsync(key, "new");
        await _client.CompactAsync(latest.Header.Revision, physical: true);

        var error = await Assert.ThrowsAsync<EtcdException>(async () =>
        {
            await using var watch = await _client.WatchKeyAsync(key, old.Header.Revision);
            using var timeout = new CancellationTokenSource(Patience);
            await watch.ReadAsync(timeout.Token);
        });

        Assert.Equal(EtcdErrorKind.Compacted, error.Kind);
        Assert.True(error.CompactRevision >= latest.Header.Revision, $"compact revision {error.CompactRevision}");
        Assert.Contains(error.CompactRevision.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message);
    }

    [Fact]
    public async Task Reading_an_old_revision_after_compaction_is_compacted()
    {
        var key = EtcdFixture.NewPrefix(nameof(Reading_an_old_revision_after_compaction_is_compacted)) + "k";
        var old = await _client.PutAsync(key, "old");
        var latest = await _client.PutAsync(key, "new");
        await _client.CompactAsync(latest.Header.Revision);

        var error = await Assert.ThrowsAsync<EtcdException>(() =>
            _client.RangeAsync(new Etcdserverpb.RangeRequest { Key = EtcdKeys.Key(key), Revision = old.Header.Revision }));

        Assert.Equal(EtcdErrorKind.Compacted, error.Kind);
    }

    private static async Task<List<Event>> CollectAsync(EtcdWatch watch, int count)
    {
        using var timeout = new CancellationTokenSource(Patience);
        var events = new List<Event>();
        while (events.Count < count)
        {
            var response = await watch.ReadAsync(timeout.Token) ?? throw new InvalidOperationException("watch ended early");
            events.AddRange(response.Events);
        }
        return events;
    }
}
