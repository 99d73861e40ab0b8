using System.Globalization;

namespace Vtorc.Agent.Flavors;

/// <summary>
/// A query that blocks until the server reaches a position or a timeout passes (one row, one column), and how to
/// read its answer: MASTER_GTID_WAIT answers 0 / -1, WAIT_FOR_EXECUTED_GTID_SET 0 / 1, MASTER_POS_WAIT and
/// SOURCE_POS_WAIT the number of events waited for (≥ 0) / -1; NULL means the server could not wait.
/// </summary>
public sealed record PositionWait(string Sql, PositionWaitKind Kind)
{
    /// <summary>Interprets the single value the query returned (null = SQL NULL).</summary>
    /// <exception cref="FormatException">The value is not an integer; the message quotes it and the query.</exception>
    public PositionWaitOutcome Interpret(string? value)
    {
        if (value is null)
        {
            return PositionWaitOutcome.Failed;
        }
        if (!long.TryParse(value.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            throw new FormatException($"position wait \"{Sql}\" answered \"{value}\", not an integer");
        }
        return Kind switch
        {
            PositionWaitKind.MariaDbGtid => number == 0 ? PositionWaitOutcome.Reached
                : number == -1 ? PositionWaitOutcome.TimedOut : PositionWaitOutcome.Failed,
            PositionWaitKind.MySqlGtid => number == 0 ? PositionWaitOutcome.Reached
                : number == 1 ? PositionWaitOutcome.TimedOut : PositionWaitOutcome.Failed,
            _ => number >= 0 ? PositionWaitOutcome.Reached
                : number == -1 ? PositionWaitOutcome.TimedOut : PositionWaitOutcome.Failed,
        };
    }
}
