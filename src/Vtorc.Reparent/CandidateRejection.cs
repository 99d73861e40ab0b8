namespace Vtorc.Reparent;

/// <summary>Why a tablet was not chosen (or why it blocks a reparent), in words an operator can act on.</summary>
public sealed record CandidateRejection(string Alias, string Reason)
{
    public override string ToString() => $"{Alias}: {Reason}";
}
