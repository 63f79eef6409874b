using StructuralChunking.Cli;

StartupTrace.Mark("main");

return await CliApplication.RunAsync(args, Console.Out, Console.Error).ConfigureAwait(false);
