using Vtorc.Cli;
using Vtorc.Protocol.Rpc;

// First of all, before anything rents from .NET's shared buffer pool: the pool reads its size limit once (SharedBufferPool).
SharedBufferPool.Enlarge(Environment.GetEnvironmentVariable, Environment.SetEnvironmentVariable);

// No HTTP/2 PINGs from this process: SocketsHttpHandler sends them to size its receive windows, and Vitess tablets
// close a connection that pings them too often (docs/wire-format.md, "Reaching a tablet"). .NET has only this
// process-wide switch, read when the first HTTP/2 connection opens. The runtimeconfig sets it too (Directory.Build.props);
// set here as well so that a missing or edited runtimeconfig cannot turn the pings back on. Our gRPC channels refuse to
// open without it.
Http2PingPolicy.DisableWindowSizingPings();

// The tablet agent's MySQL driver cancels a statement by connecting anew and sending KILL QUERY, which blocks a
// thread-pool thread while it connects; against a mysqld that does not answer, several can be held for seconds. With
// the default minimum (one thread per core) the pool then grows by about one thread a second, and every timer and
// deadline of the process fires late. Set here, by the executable, not by a library.
ThreadPool.GetMinThreads(out var workers, out var completionPorts);
ThreadPool.SetMinThreads(Math.Max(workers, 64), completionPorts);

return await VtorcApp.RunAsync(args, Console.Out, Console.Error, CancellationToken.None);
