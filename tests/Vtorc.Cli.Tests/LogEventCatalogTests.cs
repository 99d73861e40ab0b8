using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace Vtorc.Cli.Tests;

/// <summary>
/// The log event ids operators search for (docs/log-events.md): unique across our assemblies, and the document lists
/// exactly the events the code logs, with the same name and level.
/// </summary>
public sealed partial class LogEventCatalogTests
{
    // The vtorc command's assembly is named after the executable.
    private static readonly string[] AssembliesWithEvents = ["Vtorc.Protocol", "Vtorc.Orchestrator", "Vtorc.Agent", "vtorc"];

    [Fact]
    public void Every_event_id_and_name_is_used_once_across_the_assemblies()
    {
        var events = EventsInCode();
        Assert.True(events.Count > 200, $"only {events.Count} [LoggerMessage] methods found: the reflection missed them");
        var reused = events.GroupBy(e => e.Id).Where(g => g.Count() > 1).Select(g => $"{g.Key}: {string.Join(", ", g.Select(e => e.Method))}")
            .Concat(events.GroupBy(e => e.Name).Where(g => g.Count() > 1).Select(g => $"{g.Key}: {string.Join(", ", g.Select(e => e.Method))}"))
            .ToList();
        Assert.True(reused.Count == 0, "event ids or names used more than once:\n" + string.Join("\n", reused));
        var unnamed = events.Where(e => e.Name != e.Method[(e.Method.LastIndexOf('.') + 1)..]).Select(e => e.Method).ToList();
        Assert.True(unnamed.Count == 0, "EventName differs from the method's name:\n" + string.Join("\n", unnamed));
    }

    [Fact]
    public void The_document_lists_exactly_the_events_of_the_code()
    {
        var inCode = EventsInCode().Select(e => $"{e.Id} {e.Name} {e.Level}").ToHashSet(StringComparer.Ordinal);
        var inDocument = EventsInDocument().Select(e => $"{e.Id} {e.Name} {e.Level}").ToList();
        var listedTwice = inDocument.GroupBy(e => e, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        var undocumented = inCode.Except(inDocument, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var notInCode = inDocument.Except(inCode, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        Assert.True(undocumented.Count == 0 && notInCode.Count == 0 && listedTwice.Count == 0,
            "docs/log-events.md and the code disagree (id name level):\n"
            + $"in the code, not in the document:\n{string.Join("\n", undocumented)}\n"
            + $"in the document, not in the code:\n{string.Join("\n", notInCode)}\n"
            + $"listed twice:\n{string.Join("\n", listedTwice)}");
    }

    /// <summary>Every <see cref="LoggerMessageAttribute"/> method; the level "varies" when the caller passes it.</summary>
    private static List<(int Id, string Name, string Level, string Method)> EventsInCode() =>
        [.. AssembliesWithEvents
            .SelectMany(name => Assembly.Load(name).GetTypes())
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Select(m => (Method: m, Attribute: m.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(x => x.Attribute is not null)
            .Select(x => (x.Attribute!.EventId, x.Attribute.EventName ?? "", x.Attribute.Level == LogLevel.None ? "varies" : x.Attribute.Level.ToString(),
                $"{x.Method.DeclaringType!.FullName}.{x.Method.Name}"))];

    private static List<(int Id, string Name, string Level)> EventsInDocument() =>
        [.. File.ReadLines(Path.Combine(DocumentCitationTests.RepositoryRoot(), "docs", "log-events.md"))
            .Select(line => EventRow().Match(line))
            .Where(m => m.Success)
            .Select(m => (int.Parse(m.Groups["id"].Value, System.Globalization.CultureInfo.InvariantCulture), m.Groups["name"].Value, m.Groups["level"].Value))];

    [GeneratedRegex(@"^\| (?<id>\d+) \| (?<name>\w+) \| (?<level>\w+) \|")]
    private static partial Regex EventRow();
}
