using System.Runtime.CompilerServices;
using Google.Protobuf;

namespace Vtorc.Topo;

/// <summary>
/// The files of one record type (CellInfo, Keyspace, Shard, Tablet, ShardReplication), addressed by a key
/// such as a keyspace name or a tablet alias. Values are plain protobuf; fields this build does not know are
/// kept as unknown fields and written back unchanged.
/// </summary>
public sealed class TopoRecords<TKey, T>
    where T : class, IMessage<T>, new()
{
    /// <summary>Read-modify-write rounds before a contended update gives up with BadVersion.</summary>
    public const int MaxUpdateAttempts = 64;

    private static readonly MessageParser<T> Parser = new(() => new T());

    private readonly Func<TKey, CancellationToken, Task<(ITopoConnection Connection, string Path)>> _locate;

    internal TopoRecords(string recordName, Func<TKey, CancellationToken, Task<(ITopoConnection Connection, string Path)>> locate)
    {
        RecordName = recordName;
        _locate = locate;
    }

    /// <summary>"Tablet", "Shard", …: used in error messages.</summary>
    public string RecordName { get; }

    public async Task<TopoRecord<T>> GetAsync(TKey key, CancellationToken cancellationToken)
    {
        var (connection, path) = await _locate(key, cancellationToken).ConfigureAwait(false);
        return Decode(await connection.GetAsync(path, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The record, or null when it does not exist.</summary>
    public async Task<TopoRecord<T>?> TryGetAsync(TKey key, CancellationToken cancellationToken)
    {
        var (connection, path) = await _locate(key, cancellationToken).ConfigureAwait(false);
        var file = await connection.TryGetAsync(path, cancellationToken).ConfigureAwait(false);
        return file is null ? null : Decode(file);
    }

    /// <summary>Creates the record; <see cref="TopoErrorKind.NodeExists"/> if it exists.</summary>
    public async Task<TopoRecord<T>> CreateAsync(TKey key, T value, CancellationToken cancellationToken)
    {
        var (connection, path) = await _locate(key, cancellationToken).ConfigureAwait(false);
        var version = await connection.CreateAsync(path, value.ToByteString(), cancellationToken).ConfigureAwait(false);
        return new TopoRecord<T>(value, version);
    }

    /// <summary>Writes the record if it is still at <paramref name="expectedVersion"/>; <see cref="TopoErrorKind.BadVersion"/> otherwise.</summary>
    public async Task<TopoRecord<T>> UpdateAsync(TKey key, T value, long expectedVersion, CancellationToken cancellationToken)
    {
        var (connection, path) = await _locate(key, cancellationToken).ConfigureAwait(false);
        var version = await connection.UpdateAsync(path, value.ToByteString(), expectedVersion, cancellationToken).ConfigureAwait(false);
        return new TopoRecord<T>(value, version);
    }

    /// <summary>Writes the record unconditionally (creates or overwrites).</summary>
    public async Task<TopoRecord<T>> PutAsync(TKey key, T value, CancellationToken cancellationToken)
    {
        var (connection, path) = await _locate(key, cancellationToken).ConfigureAwait(false);
        var version = await connection.UpdateAsync(path, value.ToByteString(), null, cancellationToken).ConfigureAwait(false);
        return new TopoRecord<T>(value, version);
    }

    /// <summary>Deletes the record, only if at <paramref name="expectedVersion"/> when one is given.</summary>
    public async Task DeleteAsync(TKey key, long? expectedVersion, CancellationToken cancellationToken)
    {
        var (connection, path) = await _locate(key, cancellationToken).ConfigureAwait(false);
        await connection.DeleteAsync(path, expectedVersion, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Read-modify-write: reads the record, applies <paramref name="update"/> to it, and writes it back only if it
    /// changed, with the version read; retries from the read when someone else wrote in between. Returns the
    /// record as stored afterwards. <see cref="TopoErrorKind.NoNode"/> if the record does not exist.
    /// </summary>
    public async Task<TopoRecord<T>> UpdateFieldsAsync(TKey key, Action<T> update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        var (connection, path) = await _locate(key, cancellationToken).ConfigureAwait(false);
        for (var attempt = 1; ; attempt++)
        {
            var current = Decode(await connection.GetAsync(path, cancellationToken).ConfigureAwait(false));
            var modified = current.Value.Clone();
            update(modified);
            if (modified.Equals(current.Value))
            {
                return current;
            }

            try
            {
                var version = await connection.UpdateAsync(path, modified.ToByteString(), current.Version, cancellationToken).ConfigureAwait(false);
                return new TopoRecord<T>(modified, version);
            }
            catch (TopoException e) when (e.Kind == TopoErrorKind.BadVersion && attempt < MaxUpdateAttempts)
            {
                // Someone wrote between our read and our write: apply the change again to their version.
            }
        }
    }

    /// <summary>
    /// Like <see cref="UpdateFieldsAsync"/>, but a missing record is created from an empty message with
    /// <paramref name="update"/> applied (retrying if someone else creates it first).
    /// </summary>
    public async Task<TopoRecord<T>> UpdateOrCreateFieldsAsync(TKey key, Action<T> update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        var (connection, path) = await _locate(key, cancellationToken).ConfigureAwait(false);
        for (var attempt = 1; ; attempt++)
        {
            var file = await connection.TryGetAsync(path, cancellationToken).ConfigureAwait(false);
            try
            {
                if (file is null)
                {
                    var fresh = new T();
                    update(fresh);
                    var created = await connection.CreateAsync(path, fresh.ToByteString(), cancellationToken).ConfigureAwait(false);
                    return new TopoRecord<T>(fresh, created);
                }

                var current = Decode(file);
                var modified = current.Value.Clone();
                update(modified);
                if (modified.Equals(current.Value))
                {
                    return current;
                }

                var version = await connection.UpdateAsync(path, modified.ToByteString(), current.Version, cancellationToken).ConfigureAwait(false);
                return new TopoRecord<T>(modified, version);
            }
            catch (TopoException e) when (e.Kind is TopoErrorKind.BadVersion or TopoErrorKind.NodeExists && attempt < MaxUpdateAttempts)
            {
                // Lost a race with another writer; start again from what is stored now.
            }
        }
    }

    /// <summary>
    /// The record now and after every change, until <paramref name="cancellationToken"/> is cancelled; fails with
    /// <see cref="TopoErrorKind.NoNode"/> when it does not exist or is deleted.
    /// </summary>
    public async IAsyncEnumerable<TopoRecord<T>> WatchAsync(TKey key, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var (connection, path) = await _locate(key, cancellationToken).ConfigureAwait(false);
        await foreach (var file in connection.WatchAsync(path, cancellationToken).ConfigureAwait(false))
        {
            yield return Decode(file);
        }
    }

    /// <summary>Decodes a file of this type; a value that is not valid protobuf fails as <see cref="TopoErrorKind.Corrupt"/> naming the key.</summary>
    public TopoRecord<T> Decode(TopoFile file) => new(DecodeValue(file.Key, file.Value, RecordName), file.Version);

    internal static T DecodeValue(string key, ByteString value, string recordName)
    {
        try
        {
            return Parser.ParseFrom(value);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw TopoException.Corrupt(key, recordName, e);
        }
    }
}
