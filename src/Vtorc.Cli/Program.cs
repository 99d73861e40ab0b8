using Vtorc.Cli;

// The tablet agent's MySQL driver cancels a statement by connecting anew and sending KILL QUERY, which blocks a
// thread-pool thread while it connects; against a mysqld that does not answer, several can be held for seconds. With
// the default minimum (one thread per core) the pool then grows by about one thread a second, and every timer and
// deadline of the process fires late. Set here, by the executable, not by a library.
ThreadPool.GetMinThreads(out var workers, out var completionPorts);
ThreadPool.SetMinThreads(Math.Max(workers, 64), completionPorts);

return await VtorcApp.RunAsync(args, Console.Out, Console.Error, CancellationToken.None);
