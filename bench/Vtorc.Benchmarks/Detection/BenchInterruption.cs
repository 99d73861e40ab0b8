using System.Runtime.InteropServices;

namespace Vtorc.Benchmarks.Detection;

/// <summary>Ctrl-C and SIGTERM cancel <see cref="Token"/> instead of ending the process, so the cluster's clean-up still runs.</summary>
internal sealed class BenchInterruption : IDisposable
{
    private readonly CancellationTokenSource _interrupted = new();
    private readonly PosixSignalRegistration _sigint;
    private readonly PosixSignalRegistration _sigterm;

    public BenchInterruption(string command)
    {
        void Interrupt(PosixSignalContext context)
        {
            context.Cancel = true;
            Console.WriteLine($"{command}: interrupted; cleaning up");
            _interrupted.Cancel();
        }
        _sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Interrupt);
        _sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Interrupt);
    }

    public CancellationToken Token => _interrupted.Token;

    public bool IsInterrupted => _interrupted.IsCancellationRequested;

    public void Dispose()
    {
        _sigint.Dispose();
        _sigterm.Dispose();
        _interrupted.Dispose();
    }
}
