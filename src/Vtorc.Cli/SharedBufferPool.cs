using System.Buffers;
using System.Globalization;

namespace Vtorc.Cli;

/// <summary>
/// How many arrays of one size .NET's shared buffer pool keeps per core. SocketsHttpHandler (under every gRPC channel)
/// rents a 16 KB block from that pool for each HTTP/2 message it receives and returns it once the message is read. At
/// fleet size the daemon has a message in flight on hundreds of the 10,000 health streams at any moment; with .NET's
/// default of 32 arrays per core the pool overflows, and each overflowing message becomes a fresh 16 KB array: about
/// two thirds of the daemon's allocation and half of its GC pause time in the fleet benchmark (BENCHMARKS.md, "Daemon
/// memory traffic at 10,000 tablets"). .NET reads the limit only from an environment variable, once, when the pool is
/// first used, so the executable sets it at the very start of Main, unless the operator has set it.
/// </summary>
internal static class SharedBufferPool
{
    public const string ArraysPerCoreVariable = "DOTNET_SYSTEM_BUFFERS_SHAREDARRAYPOOL_MAXARRAYSPERPARTITION";

    /// <summary>Room for a thousand messages in flight per core; at most 16 MB per core of 16 KB blocks, released under memory pressure.</summary>
    public const int ArraysPerCore = 1024;

    /// <summary>Sets the limit for this process unless the environment already names one. Call before anything rents from the pool.</summary>
    public static void Enlarge(Func<string, string?> read, Action<string, string> write)
    {
        if (string.IsNullOrWhiteSpace(read(ArraysPerCoreVariable)))
        {
            write(ArraysPerCoreVariable, ArraysPerCore.ToString(CultureInfo.InvariantCulture));
        }
    }

    /// <summary>
    /// How many arrays of one size the pool kept when <paramref name="probe"/> of them were returned at once: the limit in
    /// force, as seen from outside (.NET offers no way to read it), capped at <paramref name="probe"/>. Uses tiny arrays
    /// (the 64-byte bucket, little used at start); another thread renting from that bucket meanwhile lowers the count by
    /// what it took.
    /// </summary>
    public static int ArraysKept(int probe = 2 * ArraysPerCore + 64)
    {
        var pool = ArrayPool<byte>.Shared;
        var rented = new byte[probe][];
        for (int i = 0; i < probe; i++)
        {
            rented[i] = pool.Rent(ProbeLength);
        }
        var returned = new HashSet<byte[]>(ReferenceEqualityComparer.Instance);
        foreach (var array in rented)
        {
            returned.Add(array);
            pool.Return(array);
        }
        int kept = 0;
        for (int i = 0; i < probe; i++)
        {
            rented[i] = pool.Rent(ProbeLength);
            if (returned.Contains(rented[i]))
            {
                kept++;
            }
        }
        foreach (var array in rented)
        {
            pool.Return(array);
        }
        return kept;
    }

    private const int ProbeLength = 33;
}
