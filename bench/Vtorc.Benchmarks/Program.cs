// Entry point of the benchmark runner. "etcd" runs the etcd throughput run against a real local etcd;
// anything else goes to BenchmarkDotNet's switcher (micro-benchmarks in this assembly).
if (args.Length > 0 && args[0] == "etcd")
{
    return await Vtorc.Benchmarks.Etcd.EtcdThroughputBenchmark.RunAsync(args[1..]);
}

BenchmarkDotNet.Running.BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
