using System.CommandLine;
using System.Text.Json.Nodes;
using Vtorc.Topo;

namespace Vtorc.Cli.Ctl;

/// <summary>Shard records.</summary>
internal static class ShardCommands
{
    public static IEnumerable<Command> Build(CtlCommandBuilder b)
    {
        var shardArg = new Argument<string>("keyspace/shard") { Description = "e.g. commerce/0 or customer/-80" };
        yield return b.Create("CreateShard", "Creates a shard record (the keyspace must exist).", async c =>
        {
            var (keyspace, shard) = ParseKeyspaceShard(c.Get(shardArg));
            var record = await c.Topo.CreateShardAsync(keyspace, shard, c.CancellationToken);
            await c.Output.WriteLineAsync(ProtoJson.Object(("keyspace", keyspace), ("name", shard), ("shard", record.Value)));
        }, shardArg);

        var shardArg2 = new Argument<string>("keyspace/shard") { Description = "e.g. commerce/0" };
        yield return b.Create("GetShard", "Prints a shard record as JSON.", async c =>
        {
            var (keyspace, shard) = ParseKeyspaceShard(c.Get(shardArg2));
            var record = await c.Topo.Shards.GetAsync((keyspace, shard), c.CancellationToken);
            await c.Output.WriteLineAsync(ProtoJson.Object(("keyspace", keyspace), ("name", shard), ("shard", record.Value)));
        }, shardArg2);

        var keyspaceArg = new Argument<string>("keyspace") { Description = "keyspace name" };
        yield return b.Create("FindAllShardsInKeyspace", "Prints every shard record of a keyspace as JSON.", async c =>
        {
            var keyspace = c.Get(keyspaceArg);
            await c.Topo.Keyspaces.GetAsync(keyspace, c.CancellationToken);
            var shards = await c.Topo.GetShardsAsync(keyspace, c.CancellationToken);
            var all = new JsonObject();
            foreach (var (name, record) in shards.OrderBy(s => s.Key, StringComparer.Ordinal))
            {
                all[name] = new JsonObject
                {
                    ["keyspace"] = keyspace,
                    ["name"] = name,
                    ["shard"] = ProtoJson.Node(record.Value),
                };
            }

            await c.Output.WriteLineAsync(ProtoJson.Object(("shards", all)));
        }, keyspaceArg);
    }

    /// <summary>Parses "keyspace/shard" and validates both names; the error quotes the input.</summary>
    public static (string Keyspace, string Shard) ParseKeyspaceShard(string text)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == text.Length - 1)
        {
            throw new CtlUsageException($"invalid shard \"{text}\": expected keyspace/shard, e.g. commerce/0");
        }

        var keyspace = text[..slash];
        TopoNames.ValidateKeyspace(keyspace);
        var shard = TopoNames.ValidateShard(text[(slash + 1)..]);
        return (keyspace, shard);
    }
}
