using Kait.Cli;
using Kait.Sdk;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

KaitEnvironment environment;
try
{
    environment = KaitEnvironment.FromProcess();
}
catch (KaitConfigurationException ex)
{
    // A .env that cannot be read: one line, like every other error.
    await Console.Error.WriteLineAsync("kait: " + KaitCli.OneLine(ex.Message)).ConfigureAwait(false);
    return ExitCodes.Failure;
}

return await KaitCli.RunAsync(args, new CliContext(environment, Console.Out, Console.Error) { In = Console.In }, cancel.Token).ConfigureAwait(false);
