using System.CommandLine;
using Kait.Cli.Commands;
using Kait.Sdk;

namespace Kait.Cli;

/// <summary>The <c>kait</c> command line. Exit codes: 0 success, 1 failure, 2 usage error, 3 budget exceeded.</summary>
internal static class KaitCli
{
    public static readonly Option<string?> ConfigOption = new("--config")
    {
        Description = "The LiteLLM config (else KAIT_CONFIG, else config/litellm_config.yaml here, else $KAIT_HOME/litellm_config.yaml)",
        Recursive = true,
    };

    public static readonly Option<bool> VerboseOption = new("--verbose", "-v")
    {
        Description = "Log details to stderr",
        Recursive = true,
    };

    public static async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken)
    {
        var root = new RootCommand("Kait: typed LLM calls through a LiteLLM proxy or straight at the providers.")
        {
            ConfigOption,
            VerboseOption,
        };
        root.Subcommands.Add(ModelsCommand.Create(context));
        root.Subcommands.Add(ChatCommand.Create(context));
        root.Subcommands.Add(CostsCommand.Create(context));
        root.Subcommands.Add(ProxyCommand.Create(context));
        root.Subcommands.Add(DemoCommand.Create(context));
        root.Subcommands.Add(DoctorCommand.Create(context));
        root.Subcommands.Add(KeysCommand.Create(context));
        root.Subcommands.Add(ConfigCommand.Create(context));

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await context.Error.WriteLineAsync("kait: " + error.Message).ConfigureAwait(false);
            }

            await context.Error.WriteLineAsync("Run 'kait --help' for usage.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { Output = context.Out, Error = context.Error, EnableDefaultExceptionHandler = false }, cancellationToken).ConfigureAwait(false);
        }
        catch (BudgetExceededException ex)
        {
            await context.Error.WriteLineAsync("kait: " + OneLine(ex.Message)).ConfigureAwait(false);
            return ExitCodes.BudgetExceeded;
        }
        catch (KaitException ex)
        {
            await context.Error.WriteLineAsync("kait: " + OneLine(ex.Message)).ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await context.Error.WriteLineAsync("kait: cancelled").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or InvalidOperationException or System.Text.Json.JsonException or UnauthorizedAccessException)
        {
            // Anything else that escapes the SDK still ends as one line, never a stack trace.
            await context.Error.WriteLineAsync("kait: " + OneLine(ex.GetType().Name + ": " + ex.Message)).ConfigureAwait(false);
            return ExitCodes.Failure;
        }
    }

    /// <summary>Messages on stderr stay one line.</summary>
    public static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}
