using Topodata;
using Vtorc.Replication;

namespace Vtorc.Reparent.Tests;

/// <summary>Tablets and positions for table tests; aliases follow Vitess's zone-uid shape.</summary>
internal static class Fixtures
{
    public const string UuidA = "aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa";
    public const string UuidB = "bbbbbbbb-bbbb-bbbb-bbbb-bbbbbbbbbbbb";
    public const string UuidC = "cccccccc-cccc-cccc-cccc-cccccccccccc";
    public const string UuidD = "dddddddd-dddd-dddd-dddd-dddddddddddd";

    public static TabletInfo Primary(string alias) => TabletInfo.FromAlias(alias, TabletType.Primary);

    public static TabletInfo Replica(string alias) => TabletInfo.FromAlias(alias, TabletType.Replica);

    public static TabletInfo Rdonly(string alias) => TabletInfo.FromAlias(alias, TabletType.Rdonly);

    public static TabletInfo OfType(string alias, TabletType type) => TabletInfo.FromAlias(alias, type);

    /// <summary>A MySQL56 position from a GTID set text, e.g. <c>My($"{UuidA}:1-10")</c>.</summary>
    public static ReplicationPosition My(string gtidSet) => ReplicationPosition.Parse("MySQL56/" + gtidSet);

    public static ReplicationPosition Maria(string value) => ReplicationPosition.Parse("MariaDB/" + value);

    public static ReplicationPosition File(string value) => ReplicationPosition.Parse("FilePos/" + value);

    public static ServerUuid Uuid(string text) => ServerUuid.Parse(text);

    public static string[] Aliases(IEnumerable<CandidateRejection> rejections) => rejections.Select(r => r.Alias).ToArray();
}
