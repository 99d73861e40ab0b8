namespace Vtorc.Replication;

/// <summary>
/// A replication position or GTID set string that cannot be parsed. The message quotes the whole input and
/// says what is wrong and at which character offset.
/// </summary>
public sealed class PositionParseException : FormatException
{
    public PositionParseException(string input, string problem)
        : base($"Cannot parse \"{input}\": {problem}.")
    {
        Input = input;
        Problem = problem;
    }

    /// <summary>The whole text that failed to parse.</summary>
    public string Input { get; }

    /// <summary>What is wrong, without the quoted input.</summary>
    public string Problem { get; }
}
