using System.Diagnostics;

namespace Vtorc.LocalCluster.Network;

/// <summary>
/// Runs one <c>ip</c> or <c>nft</c> command with a deadline and turns a failure into an exception that names the command
/// and quotes its error output, so a broken network set-up says which step failed.
/// </summary>
internal static class NetCommand
{
    public const string IpPath = "/usr/sbin/ip";

    public const string NftPath = "/usr/sbin/nft";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    /// <summary>Runs the command; <paramref name="input"/> goes to its stdin (e.g. an nft script). Returns its stdout.</summary>
    /// <exception cref="InvalidOperationException">It exited non-zero or ran longer than 15 s; the message names it.</exception>
    public static async Task<string> RunAsync(IReadOnlyList<string> commandLine, CancellationToken cancellationToken, string? input = null)
    {
        ArgumentNullException.ThrowIfNull(commandLine);
        var info = new ProcessStartInfo(commandLine[0])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var argument in commandLine.Skip(1))
        {
            info.ArgumentList.Add(argument);
        }
        var text = string.Join(' ', commandLine);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"`{text}` could not be started");
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input).ConfigureAwait(false);
        }
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            cancellationToken.ThrowIfCancellationRequested();
            throw new InvalidOperationException($"`{text}` did not finish within {Timeout.TotalSeconds:0} s");
        }
        var output = await stdout.ConfigureAwait(false);
        var error = await stderr.ConfigureAwait(false);
        return process.ExitCode == 0
            ? output
            : throw new InvalidOperationException($"`{text}` failed with exit code {process.ExitCode}: {error.Trim()}");
    }

    /// <summary>Like <see cref="RunAsync"/> but a failure is returned as false (clean-up of what may already be gone).</summary>
    public static async Task<bool> TryRunAsync(IReadOnlyList<string> commandLine, CancellationToken cancellationToken)
    {
        try
        {
            await RunAsync(commandLine, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
