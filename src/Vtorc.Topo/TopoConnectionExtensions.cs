namespace Vtorc.Topo;

/// <summary>What every <see cref="ITopoConnection"/> offers on top of its own operations.</summary>
internal static class TopoConnectionExtensions
{
    /// <summary>The full key of a relative path.</summary>
    public static string KeyOf(this ITopoConnection connection, string relativePath) => TopoKeys.File(connection.Root, relativePath);

    /// <summary>Reads one file; <see cref="TopoErrorKind.NoNode"/> when absent.</summary>
    public static async Task<TopoFile> GetAsync(this ITopoConnection connection, string relativePath, CancellationToken cancellationToken) =>
        await connection.TryGetAsync(relativePath, cancellationToken).ConfigureAwait(false)
        ?? throw TopoException.NoNode(connection.KeyOf(relativePath));

    /// <summary>The directory's entries, or an empty list when the directory does not exist.</summary>
    public static async Task<IReadOnlyList<DirEntry>> ListDirOrEmptyAsync(this ITopoConnection connection, string dir, CancellationToken cancellationToken)
    {
        try
        {
            return await connection.ListDirAsync(dir, cancellationToken).ConfigureAwait(false);
        }
        catch (TopoException e) when (e.Kind == TopoErrorKind.NoNode)
        {
            return [];
        }
    }
}
