using System.Text.RegularExpressions;

namespace Vtorc.Cli.Tests;

/// <summary>
/// Code comments cite our own documents only: every <c>docs/x.md</c> a
/// source file names exists, every section it names (<c>docs/x.md, "Section"</c>) is a heading (or a paragraph's bold
/// lead-in) of that file, and no
/// source file points at a document outside the repository.
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
    public void No_source_file_points_at_a_document_outside_the_repository()
    {
        string[] outside = ["../shared", "vitess-facts", "vtorc-behaviour", "spec/wire.md", "design.md"];
        var found = SourceFiles()
            .SelectMany(f => outside.Where(o => File.ReadAllText(f).Contains(o, StringComparison.Ordinal))
                .Select(o => $"{Path.GetRelativePath(Root, f)}: {o}"))
            .ToList();
        Assert.True(found.Count == 0, "references to documents outside the repository:\n" + string.Join("\n", found));
    }

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

    private static string RepositoryRoot()
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

    [GeneratedRegex(@"\r?\n\s*///?\s*")]
    private static partial Regex CommentContinuation();

    [GeneratedRegex(@"(?<doc>docs/[A-Za-z0-9_-]+\.md)(,?\s*""(?<section>[^""]+)"")?")]
    private static partial Regex Citation();
}
