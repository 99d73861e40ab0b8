namespace Vtorc.Benchmarks.Detection;

/// <summary>The namespace benchmarks create network namespaces, a bridge and nftables rules: only root can.</summary>
internal static class RootCheck
{
    /// <summary>True when this process may run <paramref name="command"/>; otherwise says why on stderr.</summary>
    public static async Task<bool> PassesAsync(string command)
    {
        if (Environment.IsPrivilegedProcess)
        {
            return true;
        }
        await Console.Error.WriteLineAsync($"{command}: must run as root: it creates network namespaces, a bridge and nftables rules").ConfigureAwait(false);
        return false;
    }
}
