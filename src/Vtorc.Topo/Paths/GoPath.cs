using System.Text;

namespace Vtorc.Topo;

/// <summary>
/// Go's <c>path.Join</c> and <c>path.Clean</c> for slash-separated paths. Vitess builds every etcd key with
/// <c>path.Join(root, relative)</c>, so our keys must be cleaned the same way to name the same etcd keys.
/// </summary>
internal static class GoPath
{
    /// <summary>Joins the non-empty elements with '/' and cleans the result; all elements empty gives "".</summary>
    public static string Join(params ReadOnlySpan<string> elements)
    {
        var sb = new StringBuilder();
        var any = false;
        foreach (var e in elements)
        {
            if (string.IsNullOrEmpty(e))
            {
                continue;
            }

            if (any)
            {
                sb.Append('/');
            }

            sb.Append(e);
            any = true;
        }

        return any ? Clean(sb.ToString()) : "";
    }

    /// <summary>
    /// Lexical clean: single slashes, no "." elements, ".." removes the element before it (and is dropped at the
    /// start of a rooted path), no trailing slash; an empty result is ".".
    /// </summary>
    public static string Clean(string path)
    {
        if (path.Length == 0)
        {
            return ".";
        }

        var rooted = path[0] == '/';
        var parts = new List<string>();
        foreach (var part in path.Split('/'))
        {
            switch (part)
            {
                case "":
                case ".":
                    break;
                case "..":
                    if (parts.Count > 0 && parts[^1] != "..")
                    {
                        parts.RemoveAt(parts.Count - 1);
                    }
                    else if (!rooted)
                    {
                        parts.Add("..");
                    }

                    break;
                default:
                    parts.Add(part);
                    break;
            }
        }

        var body = string.Join('/', parts);
        if (rooted)
        {
            return "/" + body;
        }

        return body.Length == 0 ? "." : body;
    }
}
