using System.CommandLine;
using Topodata;
using Vtorc.Topo;

namespace Vtorc.Cli.Ctl;

/// <summary>CellInfo records: where each cell's topology lives.</summary>
internal static class CellCommands
{
    public static IEnumerable<Command> Build(CtlCommandBuilder b)
    {
        var cell = new Argument<string>("cell") { Description = "cell name, e.g. zone1" };
        var serverAddress = new Option<string?>("--server-address") { Description = "comma-separated etcd endpoints of the cell's topology" };
        var root = new Option<string?>("--root") { Description = "key prefix of the cell's topology, e.g. /vitess/zone1" };
        yield return b.Create("AddCellInfo", "Registers a cell: where its topology (tablets, shard replication) is stored.", async c =>
        {
            var name = c.Get(cell);
            TopoNames.ValidateCell(name);
            var rootValue = c.Get(root);
            if (string.IsNullOrEmpty(rootValue))
            {
                throw new CtlUsageException("--root is required (key prefix of the cell's topology, e.g. /vitess/" + name + ")");
            }

            var address = c.Get(serverAddress);
            if (string.IsNullOrWhiteSpace(address))
            {
                throw new CtlUsageException("--server-address is required (etcd endpoints of the cell's topology, e.g. localhost:2379)");
            }

            TopoServerOptions.SplitAddresses(address);
            var info = new CellInfo { ServerAddress = address, Root = rootValue };
            await c.Topo.CellInfos.CreateAsync(name, info, c.CancellationToken);
            await c.Output.WriteLineAsync($"Created cell {name} (root {info.Root}, server address {info.ServerAddress})");
        }, cell, serverAddress, root);

        var cell2 = new Argument<string>("cell") { Description = "cell name" };
        var serverAddress2 = new Option<string?>("--server-address") { Description = "new etcd endpoints of the cell's topology" };
        var root2 = new Option<string?>("--root") { Description = "new key prefix of the cell's topology" };
        yield return b.Create("UpdateCellInfo", "Changes where a cell's topology lives (only the given fields change).", async c =>
        {
            var name = c.Get(cell2);
            var address = c.Get(serverAddress2);
            var newRoot = c.Get(root2);
            if (address is null && newRoot is null)
            {
                throw new CtlUsageException("nothing to update: give --server-address and/or --root");
            }

            var record = await c.Topo.CellInfos.UpdateFieldsAsync(name, info =>
            {
                if (address is not null)
                {
                    info.ServerAddress = address;
                }

                if (newRoot is not null)
                {
                    info.Root = newRoot;
                }
            }, c.CancellationToken);
            await c.Output.WriteLineAsync(ProtoJson.Format(record.Value));
        }, cell2, serverAddress2, root2);

        yield return b.Create("GetCellInfoNames", "Lists the registered cells, one per line.", async c =>
        {
            foreach (var name in await c.Topo.GetCellNamesAsync(c.CancellationToken))
            {
                await c.Output.WriteLineAsync(name);
            }
        });

        var cell3 = new Argument<string>("cell") { Description = "cell name" };
        yield return b.Create("GetCellInfo", "Prints a cell's CellInfo record as JSON.", async c =>
        {
            var record = await c.Topo.CellInfos.GetAsync(c.Get(cell3), c.CancellationToken);
            await c.Output.WriteLineAsync(ProtoJson.Format(record.Value));
        }, cell3);

        var cell4 = new Argument<string>("cell") { Description = "cell name" };
        var force = new Option<bool>("--force") { Description = "delete even if the cell still has tablets or its topology cannot be reached" };
        yield return b.Create("DeleteCellInfo", "Removes a cell's CellInfo record; refuses while the cell has tablets unless --force.", async c =>
        {
            var name = c.Get(cell4);
            var record = await c.Topo.CellInfos.GetAsync(name, c.CancellationToken);
            if (!c.Get(force))
            {
                var tablets = await c.Topo.GetTabletsByCellAsync(name, c.CancellationToken);
                if (tablets.Count > 0)
                {
                    throw new CtlUsageException(
                        $"cell {name} still has {tablets.Count} tablet(s) ({string.Join(", ", tablets.Take(5).Select(t => t.Value.Alias.ToText()))}); delete them first or use --force");
                }
            }

            await c.Topo.CellInfos.DeleteAsync(name, record.Version, c.CancellationToken);
            await c.Output.WriteLineAsync($"Deleted cell {name}");
        }, cell4, force);
    }
}
