using Vtorc.Cli;

return await VtorcApp.RunAsync(args, Console.Out, Console.Error, CancellationToken.None);
