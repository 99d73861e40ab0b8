using System.CommandLine;
using Topodata;
using Vtorc.Topo;

namespace Vtorc.Cli.Ctl;

/// <summary>Keyspace records, including the durability policy VTOrc reads.</summary>
internal static class KeyspaceCommands
{
    /// <summary>vtctldclient CreateKeyspace's default <c>--sidecar-db-name</c>.</summary>
    public const string DefaultSidecarDbName = "_vt";

    public static IEnumerable<Command> Build(CtlCommandBuilder b)
    {
        var keyspace = new Argument<string>("keyspace") { Description = "keyspace name" };
        var policy = new Option<string>("--durability-policy")
        {
            Description = $"durability policy: {string.Join(", ", CtlContext.Durability.Names)}",
            DefaultValueFactory = _ => "none",
        };
        // vtctldclient CreateKeyspace writes the sidecar database name; vttablets of the keyspace use it.
        var sidecar = new Option<string>("--sidecar-db-name")
        {
            Description = "name of the Vitess sidecar database the keyspace's tablets use",
            DefaultValueFactory = _ => DefaultSidecarDbName,
        };
        yield return b.Create("CreateKeyspace", "Creates a keyspace record.", async c =>
        {
            var name = c.Get(keyspace);
            TopoNames.ValidateKeyspace(name);
            var durability = CtlContext.Durability.Get(c.Get(policy)).Name;
            var sidecarDbName = c.Get(sidecar);
            if (string.IsNullOrWhiteSpace(sidecarDbName))
            {
                throw new ArgumentException("--sidecar-db-name must not be empty (vtctldclient's default is \"_vt\")");
            }
            var record = await c.Topo.Keyspaces.CreateAsync(name, new Keyspace { DurabilityPolicy = durability, SidecarDbName = sidecarDbName },
                c.CancellationToken);
            await c.Output.WriteLineAsync(ProtoJson.Object(("name", name), ("keyspace", record.Value)));
        }, keyspace, policy, sidecar);

        var keyspace2 = new Argument<string>("keyspace") { Description = "keyspace name" };
        yield return b.Create("GetKeyspace", "Prints a keyspace record as JSON.", async c =>
        {
            var name = c.Get(keyspace2);
            var record = await c.Topo.Keyspaces.GetAsync(name, c.CancellationToken);
            await c.Output.WriteLineAsync(ProtoJson.Object(("name", name), ("keyspace", record.Value)));
        }, keyspace2);

        yield return b.Create("GetKeyspaces", "Lists the keyspaces, one per line.", async c =>
        {
            foreach (var name in await c.Topo.GetKeyspaceNamesAsync(c.CancellationToken))
            {
                await c.Output.WriteLineAsync(name);
            }
        });

        var keyspace3 = new Argument<string>("keyspace") { Description = "keyspace name" };
        var policy3 = new Option<string>("--durability-policy")
        {
            Description = $"durability policy: {string.Join(", ", CtlContext.Durability.Names)}",
            Required = true,
        };
        yield return b.Create("SetKeyspaceDurabilityPolicy", "Sets the durability policy of a keyspace (under the keyspace lock).", async c =>
        {
            var name = c.Get(keyspace3);
            var durability = CtlContext.Durability.Get(c.Get(policy3)).Name;
            await using var keyspaceLock = await c.Topo.Locks.LockKeyspaceAsync(name, $"SetKeyspaceDurabilityPolicy({durability})", c.CancellationToken);
            var record = await c.Topo.Keyspaces.UpdateFieldsAsync(name, k => k.DurabilityPolicy = durability, c.CancellationToken);
            await keyspaceLock.UnlockAsync(c.CancellationToken);
            await c.Output.WriteLineAsync(ProtoJson.Object(("name", name), ("keyspace", record.Value)));
        }, keyspace3, policy3);
    }
}
