namespace Vtorc.Replication;

/// <summary>One MySQL GTID: a server UUID and a transaction sequence number, written <c>uuid:N</c>.</summary>
public readonly record struct Gtid(ServerUuid Uuid, long Sequence)
{
    public override string ToString() => $"{Uuid}:{Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
}
