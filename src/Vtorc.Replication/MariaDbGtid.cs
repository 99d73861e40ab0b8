namespace Vtorc.Replication;

/// <summary>One MariaDB GTID <c>domain-server-sequence</c>.</summary>
public readonly record struct MariaDbGtid(uint Domain, uint Server, ulong Sequence)
{
    public override string ToString() => $"{Domain}-{Server}-{Sequence}";
}
