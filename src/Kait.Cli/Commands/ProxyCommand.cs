using System.CommandLine;
using Kait.Sdk.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kait.Cli.Commands;

/// <summary><c>kait proxy start | stop | status | logs | run</c>: the supervised LiteLLM proxy.</summary>
internal static class ProxyCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("proxy", "Run the LiteLLM proxy under Kait's supervision (logs in $KAIT_HOME/logs/litellm.log)");

        var start = new Command("start", "Start the supervised proxy in the background and wait until it is ready");
        start.SetAction(async (parse, ct) =>
        {
            // .NET has no fork/setsid: relaunch this very program as `kait proxy run` (detached under setsid).
            var (executable, arguments) = SelfCommand("proxy", "run");
            return await ReportAsync(context, await Control(context, parse).StartDetachedAsync(executable, arguments, ct).ConfigureAwait(false)).ConfigureAwait(false);
        });

        var stop = new Command("stop", "Stop the proxy started with 'kait proxy start'");
        stop.SetAction(async (parse, ct) => await ReportAsync(context, await Control(context, parse).StopAsync(ct).ConfigureAwait(false)).ConfigureAwait(false));

        var status = new Command("status", "Exit 0 only while the proxy answers its health checks");
        status.SetAction(async (parse, ct) => await ReportAsync(context, await Control(context, parse).GetStatusAsync(ct).ConfigureAwait(false)).ConfigureAwait(false));

        var lines = new Option<int>("--lines", "-n") { Description = "How many lines (default 50)", DefaultValueFactory = _ => 50 };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new lines" };
        var logs = new Command("logs", "Print the end of $KAIT_HOME/logs/litellm.log") { lines, follow };
        logs.SetAction(async (parse, ct) =>
        {
            var control = Control(context, parse);
            if (parse.GetValue(follow))
            {
                await foreach (var line in control.FollowLogAsync(parse.GetValue(lines), ct).ConfigureAwait(false))
                {
                    await context.Out.WriteLineAsync(line).ConfigureAwait(false);
                }

                return ExitCodes.Success;
            }

            foreach (var line in control.ReadLogTail(parse.GetValue(lines)))
            {
                await context.Out.WriteLineAsync(line).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });

        var run = new Command("run", "Run the proxy in the foreground, restarting it after a crash (SIGTERM/Ctrl+C stops it)");
        run.SetAction(async (parse, ct) => await ReportAsync(context, await Control(context, parse).RunAsync(handleSignals: true, ct).ConfigureAwait(false)).ConfigureAwait(false));

        command.Subcommands.Add(start);
        command.Subcommands.Add(stop);
        command.Subcommands.Add(status);
        command.Subcommands.Add(logs);
        command.Subcommands.Add(run);
        return command;
    }

    // The same settings as every other command (and as AddLiteLlmProxy() in a host): .env, KAIT_*, --config.
    private static ProxyControl Control(CliContext context, ParseResult parse)
    {
        using var services = CliServices.Build(context, parse.GetValue(KaitCli.ConfigOption), parse.GetValue(KaitCli.VerboseOption));
        return new(services.GetRequiredService<LiteLlmProxyOptions>(), NullLoggerFactory.Instance, environment: context.Environment.Get);
    }

    private static async Task<int> ReportAsync(CliContext context, ProxyCommandResult result)
    {
        var writer = result.ExitCode == 0 ? context.Out : context.Error;
        await writer.WriteLineAsync(result.Message).ConfigureAwait(false);

        // kait's codes: 0 success, 1 failure (not running, unhealthy, timed out; the message says which).
        return result.ExitCode == 0 ? ExitCodes.Success : ExitCodes.Failure;
    }

    /// <summary>How to run this program again: the apphost, or <c>dotnet kait.dll</c>.</summary>
    private static (string Executable, IReadOnlyList<string> Arguments) SelfCommand(params string[] arguments)
    {
        var process = Environment.ProcessPath ?? "dotnet";
        if (Path.GetFileNameWithoutExtension(process) == "dotnet")
        {
            return (process, [typeof(ProxyCommand).Assembly.Location, .. arguments]);
        }

        return (process, arguments);
    }
}
