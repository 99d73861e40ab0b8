using System.Text.RegularExpressions;

namespace Vtorc.Cli.Tests;

/// <summary>
/// Code comments cite our own documents only: every <c>docs/x.md</c> a
/// source file names exists, every section it names (<c>docs/x.md, "Section"</c>) is a heading (or a paragraph's bold
/// lead-in) of that file, and every other markdown file a comment names is one of the repository's.
/// </summary>
public sealed partial class DocumentCitationTests
{
    private static readonly string Root = RepositoryRoot();

    [Fact]
    public void Every_cited_document_exists_in_the_repository()
    {
        var missing = Citations()
            .Where(c => !File.Exists(Path.Combine(Root, c.Document)))
            .Select(c => $"{c.Source}: {c.Document}")
            .Distinct()
            .ToList();
        Assert.True(missing.Count == 0, "documents cited but not in the repository:\n" + string.Join("\n", missing));
    }

    [Fact]
    public void Every_cited_section_is_a_heading_of_its_document()
    {
        var headings = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (var (source, document, section) in Citations())
        {
            if (section is null || !File.Exists(Path.Combine(Root, document)))
            {
                continue;
            }
            if (!headings.TryGetValue(document, out var titles))
            {
                // Headings, and the bold lead-ins that name a paragraph ("**The checker** talks to …").
                titles = [.. File.ReadLines(Path.Combine(Root, document))
                    .Where(l => l.StartsWith('#') || l.StartsWith("**", StringComparison.Ordinal))
                    .Select(l => l.StartsWith('#') ? l.TrimStart('#').Trim() : l[2..Math.Max(2, l.IndexOf("**", 2, StringComparison.Ordinal))])];
                headings[document] = titles;
            }
            if (!titles.Any(t => t.Contains(section, StringComparison.Ordinal)))
            {
                missing.Add($"{source}: {document}, \"{section}\"");
            }
        }
        Assert.True(missing.Count == 0, "sections cited but not found:\n" + string.Join("\n", missing.Distinct()));
    }

    [Fact]
    public void Every_markdown_file_a_comment_names_is_in_the_repository()
    {
        // Any "*.md" a comment names, with or without docs/ in front, must be a file of this repository; an upstream
        // document is cited by its full URL (skipped here), so nothing points at notes a reader does not have.
        var missing = SourceFiles()
            .SelectMany(f => File.ReadLines(f).Select(line => (File: f, Comment: CommentOf(line))))
            .Where(x => x.Comment is not null)
            .SelectMany(x => MarkdownName().Matches(x.Comment!).Select(m => (x.File, Name: m.Value)))
            .Where(x => !x.Name.Contains("://", StringComparison.Ordinal)
                        && !File.Exists(Path.Combine(Root, x.Name)) && !File.Exists(Path.Combine(Root, "docs", x.Name)))
            .Select(x => $"{Path.GetRelativePath(Root, x.File)}: {x.Name}")
            .Distinct()
            .ToList();
        Assert.True(missing.Count == 0, "markdown files named in comments but not in the repository:\n" + string.Join("\n", missing));
    }

    /// <summary>The comment part of a source line (after "//" not preceded by ':'), or null.</summary>
    private static string? CommentOf(string line) => CommentStart().Match(line) is { Success: true } m ? m.Groups["text"].Value : null;

    [Fact]
    public void The_scan_finds_the_citations_it_checks()
    {
        // Guards the checks above against a pattern or a root that matches nothing.
        var citations = Citations().ToList();
        Assert.Contains(citations, c => c.Document == "docs/reliability.md" && c.Section == "Push detection");
        Assert.True(citations.Count > 100, $"only {citations.Count} citations found under {Root}");
    }

    private static IEnumerable<(string Source, string Document, string? Section)> Citations()
    {
        foreach (var file in SourceFiles())
        {
            // A citation may wrap onto the next comment line: join comment continuations first.
            var text = CommentContinuation().Replace(File.ReadAllText(file), " ");
            foreach (Match match in Citation().Matches(text))
            {
                var section = match.Groups["section"].Success ? match.Groups["section"].Value : null;
                yield return (Path.GetRelativePath(Root, file), match.Groups["doc"].Value.TrimEnd('.'), section);
            }
        }
    }

    private static IEnumerable<string> SourceFiles() =>
        new[] { "src", "tests", "bench" }
            .Select(d => Path.Combine(Root, d))
            .Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(d, "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.EndsWith(nameof(DocumentCitationTests) + ".cs", StringComparison.Ordinal));

    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Vtorc.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"no Vtorc.slnx above {AppContext.BaseDirectory}: the tests run outside the repository");
    }

    [GeneratedRegex(@"(?<!:)//(?<text>.*)$")]
    private static partial Regex CommentStart();

    [GeneratedRegex(@"[A-Za-z0-9_./:-]*[A-Za-z0-9_-]\.md\b")]
    private static partial Regex MarkdownName();

    [GeneratedRegex(@"\r?\n\s*///?\s*")]
    private static partial Regex CommentContinuation();

    [GeneratedRegex(@"(?<doc>docs/[A-Za-z0-9_-]+\.md)(,?\s*""(?<section>[^""]+)"")?")]
    private static partial Regex Citation();
}
