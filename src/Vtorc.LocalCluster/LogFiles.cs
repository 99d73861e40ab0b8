namespace Vtorc.LocalCluster;

/// <summary>Reading the logs of the processes we start, for error messages and readiness checks.</summary>
public static class LogFiles
{
    /// <summary>The last <paramref name="lines"/> lines of a log another process may still be writing.</summary>
    public static string Tail(string path, int lines = 30) =>
        File.Exists(path) ? string.Join('\n', ReadFrom(path, 0).Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(lines)) : "(no log)";

    /// <summary>The text appended to <paramref name="path"/> after byte <paramref name="offset"/>.</summary>
    public static string ReadFrom(string path, long offset)
    {
        if (!File.Exists(path))
        {
            return "";
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        if (stream.Length <= offset)
        {
            return "";
        }

        stream.Seek(offset, SeekOrigin.Begin);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public static long Length(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;
}
