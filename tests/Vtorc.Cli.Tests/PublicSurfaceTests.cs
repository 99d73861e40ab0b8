namespace Vtorc.Cli.Tests;

/// <summary>
/// Keeps issue 17's rule true: the public types of each production assembly are the ones another assembly uses (or
/// that the compiler makes public with them, see <see cref="PublicSurface"/>); everything else is internal, which
/// the tests see through InternalsVisibleTo (Directory.Build.props).
/// </summary>
public sealed class PublicSurfaceTests
{
    [Fact]
    public void Every_public_type_is_used_by_another_assembly_or_required_public_by_the_compiler()
    {
        var needlesslyPublic = PublicSurface.NeedlesslyPublic(AppContext.BaseDirectory);
        Assert.True(needlesslyPublic.Count == 0,
            $"{needlesslyPublic.Count} public types no other assembly uses; make them internal:\n" + string.Join("\n", needlesslyPublic));
    }
}
