namespace Vtorc.Replication.Tests;

/// <summary>Fixed server UUIDs for readable test tables, listed in raw-byte order.</summary>
internal static class Uuids
{
    public const string A = "00000000-0000-0000-0000-00000000000a";
    public const string B = "00000000-0000-0000-0000-00000000000b";
    public const string C = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
    public const string D = "4c0b1a2d-0000-11e1-9e33-c80aa9429562";
    public const string E = "ffffffff-ffff-ffff-ffff-fffffffffffe";

    public static ServerUuid U(string text) => ServerUuid.Parse(text);
}
