using Kait.Cli;
using Kait.Sdk;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

return await KaitCli.RunAsync(args, new CliContext(KaitEnvironment.FromProcess(), Console.Out, Console.Error), cancel.Token).ConfigureAwait(false);
