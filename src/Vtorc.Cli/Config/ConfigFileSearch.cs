namespace Vtorc.Cli.Config;

/// <summary>What the config-file flags ask for: an explicit file, or a name searched in directories.</summary>
internal sealed record ConfigFileSearch(string File, IReadOnlyList<string> Paths, string Name, string Type, string NotFoundHandling)
{
    /// <summary>The extensions viper looks for, in its order; we read yaml, yml and json.</summary>
    public static readonly IReadOnlyList<string> ViperExtensions =
        ["json", "toml", "yaml", "yml", "properties", "props", "prop", "hcl", "tfvars", "dotenv", "env", "ini"];

    /// <summary>
    /// The file to read, or null when none exists (viper's search: <c>name.ext</c> for each extension in each path,
    /// then <c>name</c> itself when a type is given; an explicit <see cref="File"/> is taken as it is).
    /// </summary>
    public string? Locate()
    {
        if (File.Length > 0)
        {
            return System.IO.File.Exists(File) ? Path.GetFullPath(File) : null;
        }
        foreach (var directory in Paths)
        {
            foreach (var extension in ViperExtensions)
            {
                var candidate = Path.Combine(directory, $"{Name}.{extension}");
                if (System.IO.File.Exists(candidate))
                {
                    return Path.GetFullPath(candidate);
                }
            }
            if (Type.Length > 0 && System.IO.File.Exists(Path.Combine(directory, Name)))
            {
                return Path.GetFullPath(Path.Combine(directory, Name));
            }
        }
        return null;
    }

    /// <summary>What was looked for, for the not-found message.</summary>
    public string Describe() => File.Length > 0
        ? $"--config-file \"{File}\""
        : $"--config-name \"{Name}\" in --config-path {string.Join(", ", Paths.Select(p => $"\"{p}\""))}";

    /// <summary>The format of <paramref name="path"/>: --config-type when given (viper prefers it), else the extension.</summary>
    public string FormatOf(string path) => (Type.Length > 0 ? Type : Path.GetExtension(path).TrimStart('.')).ToLowerInvariant();
}
