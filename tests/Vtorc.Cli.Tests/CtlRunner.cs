namespace Vtorc.Cli.Tests;

/// <summary>Runs `vtorc ctl …` in-process against one test root, capturing what the operator would see.</summary>
public sealed class CtlRunner(string endpoint)
{
    public string BaseRoot { get; } = "/ctl-" + Guid.NewGuid().ToString("N")[..12];

    public string GlobalRoot => BaseRoot + "/global";

    public string Endpoint => endpoint;

    public string CellRoot(string cell) => $"{BaseRoot}/{cell}";

    public Task<CtlResult> RunAsync(params string[] args) =>
        RunRawAsync(["ctl", .. args, "--topo-global-server-address", endpoint, "--topo-global-root", GlobalRoot, "--remote-operation-timeout", "10s"]);

    public static async Task<CtlResult> RunRawAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var exitCode = await VtorcApp.RunAsync(args, output, error, timeout.Token);
        return new CtlResult(exitCode, output.ToString(), error.ToString());
    }

    public async Task<CtlResult> OkAsync(params string[] args)
    {
        var result = await RunAsync(args);
        Assert.True(result.ExitCode == 0, $"ctl {string.Join(' ', args)} failed with {result.ExitCode}: {result.Error}");
        return result;
    }
}

public sealed record CtlResult(int ExitCode, string Output, string Error);
