using System.CommandLine;
using System.Text.Json.Nodes;
using Topodata;
using Vtorc.Topo;

namespace Vtorc.Cli.Ctl;

/// <summary>Tablet records: list, show and delete.</summary>
internal static class TabletCommands
{
    public static IEnumerable<Command> Build(CtlCommandBuilder b)
    {
        var keyspace = new Option<string?>("--keyspace") { Description = "only tablets of this keyspace" };
        var shard = new Option<string?>("--shard") { Description = "only tablets of this shard (needs --keyspace)" };
        var cells = new Option<string[]>("--cell") { Description = "only tablets of this cell (repeatable)", AllowMultipleArgumentsPerToken = false };
        var json = new Option<bool>("--json") { Description = "print the tablet records as JSON instead of a table" };
        yield return b.Create("GetTablets", "Lists tablets as an aligned table (or JSON), optionally filtered.", async c =>
        {
            var ks = c.Get(keyspace);
            var sh = c.Get(shard);
            var cellFilter = c.ParseResult.GetValue(cells) ?? [];
            if (sh is not null && ks is null)
            {
                throw new CtlUsageException("--shard needs --keyspace");
            }

            var tablets = await ListAsync(c, ks, sh is null ? null : TopoNames.ValidateShard(sh), cellFilter);
            if (c.Get(json))
            {
                var array = new JsonArray(tablets.Select(t => (JsonNode)ProtoJson.Node(t)).ToArray());
                await c.Output.WriteLineAsync(array.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
            }
            else
            {
                await c.Output.WriteAsync(TabletTable.Format(tablets));
            }
        }, keyspace, shard, cells, json);

        var alias = new Argument<string>("alias") { Description = "tablet alias, e.g. zone1-0000000100" };
        yield return b.Create("GetTablet", "Prints a tablet record as JSON.", async c =>
        {
            var record = await c.Topo.Tablets.GetAsync(TabletAliases.Parse(c.Get(alias)), c.CancellationToken);
            await c.Output.WriteLineAsync(ProtoJson.Format(record.Value));
        }, alias);

        var aliases = new Argument<string[]>("alias") { Description = "tablet aliases", Arity = ArgumentArity.OneOrMore };
        var allowPrimary = new Option<bool>("--allow-primary") { Description = "also delete a PRIMARY tablet (clears the shard's primary alias)" };
        yield return b.Create("DeleteTablets", "Deletes tablet records; refuses a PRIMARY without --allow-primary.", async c =>
        {
            // Parse every alias before deleting anything, so a typo in the last one deletes nothing.
            var parsed = c.Get(aliases).Select(TabletAliases.Parse).ToList();
            foreach (var a in parsed)
            {
                var record = await c.Topo.Tablets.GetAsync(a, c.CancellationToken);
                var tablet = record.Value;
                if (tablet.Type == TabletType.Primary)
                {
                    if (!c.Get(allowPrimary))
                    {
                        throw new CtlUsageException($"cannot delete tablet {a.ToText()}: it is a PRIMARY tablet of {tablet.Keyspace}/{tablet.Shard}; use --allow-primary");
                    }

                    // As Vitess does: the shard forgets its primary but keeps the term start time, which is how
                    // VTOrc tells "primary tablet deleted" from "never had a primary".
                    await c.Topo.Shards.UpdateFieldsAsync((tablet.Keyspace, tablet.Shard), s =>
                    {
                        if (s.PrimaryAlias is not null && s.PrimaryAlias.Equals(a))
                        {
                            s.PrimaryAlias = null;
                        }
                    }, c.CancellationToken);
                }

                await c.Topo.DeleteTabletAsync(a, c.CancellationToken);
                await c.Output.WriteLineAsync($"Deleted tablet {a.ToText()}");
            }
        }, aliases, allowPrimary);
    }

    private static async Task<List<Tablet>> ListAsync(CtlContext c, string? keyspace, string? shard, string[] cellFilter)
    {
        IEnumerable<Tablet> tablets;
        if (keyspace is not null && shard is not null)
        {
            tablets = (await c.Topo.GetTabletsByShardAsync(keyspace, shard, c.CancellationToken)).Select(r => r.Value);
        }
        else
        {
            var cellNames = cellFilter.Length > 0 ? cellFilter : (await c.Topo.GetCellNamesAsync(c.CancellationToken)).ToArray();
            var all = new List<Tablet>();
            foreach (var cell in cellNames)
            {
                all.AddRange((await c.Topo.GetTabletsByCellAsync(cell, c.CancellationToken)).Select(r => r.Value));
            }

            tablets = all;
        }

        return tablets
            .Where(t => keyspace is null || t.Keyspace == keyspace)
            .Where(t => cellFilter.Length == 0 || cellFilter.Contains(t.Alias.Cell, StringComparer.Ordinal))
            .OrderBy(t => t.Alias, TabletAliasComparer.Instance)
            .ToList();
    }
}
