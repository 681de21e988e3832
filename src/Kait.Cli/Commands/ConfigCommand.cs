using System.CommandLine;
using Kait.Sdk;
using Kait.Sdk.Config;
using Kait.Sdk.Proxy;
using Microsoft.Extensions.DependencyInjection;

namespace Kait.Cli.Commands;

/// <summary><c>kait config pull [--out PATH] [--check PATH]</c>: the proxy's aliases as a LiteLLM-format config (names and
/// upstream models, never keys) for the source generator, and a drift check for CI.</summary>
internal static class ConfigCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("config", "The LiteLLM config of a shared proxy");
        command.Subcommands.Add(Pull(context));
        return command;
    }

    private static Command Pull(CliContext context)
    {
        var output = new Option<string?>("--out") { Description = "Write the config to this file (else stdout)" };
        var check = new Option<string?>("--check") { Description = "Compare this file with the proxy: exit 1 naming the aliases added or removed" };
        var command = new Command("pull", "Print the proxy's model list (/model/info) as a LiteLLM config the generator reads") { output, check };
        command.Validators.Add(r =>
        {
            if (r.GetValue(output) is not null && r.GetValue(check) is not null)
            {
                r.AddError("--out and --check cannot be used together.");
            }
        });
        command.SetAction(async (parse, ct) =>
        {
            await using var services = CliServices.Build(context, parse.GetValue(KaitCli.ConfigOption), parse.GetValue(KaitCli.VerboseOption));
            var deployments = await ProxyConfigPull.PullAsync(services.GetRequiredService<LiteLlmProxyClient>(), ct).ConfigureAwait(false);
            if (parse.GetValue(check) is { } checkPath)
            {
                return await CheckAsync(context, Path.GetFullPath(checkPath, context.Environment.WorkingDirectory), deployments, ct).ConfigureAwait(false);
            }

            var text = ProxyConfigPull.Render(deployments);
            if (parse.GetValue(output) is { } outPath)
            {
                var full = Path.GetFullPath(outPath, context.Environment.WorkingDirectory);
                var temp = full + ".tmp-" + Guid.NewGuid().ToString("N");
                await File.WriteAllTextAsync(temp, text, ct).ConfigureAwait(false);
                File.Move(temp, full, overwrite: true);
                await context.Error.WriteLineAsync($"[{deployments.Select(d => d.Name).Distinct(StringComparer.Ordinal).Count()} aliases written to {full}]").ConfigureAwait(false);
                return ExitCodes.Success;
            }

            await context.Out.WriteAsync(text).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    private static async Task<int> CheckAsync(CliContext context, string path, IReadOnlyList<(string Name, string Model)> deployments, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            await context.Error.WriteLineAsync($"kait: {path} does not exist; write it with 'kait config pull --out {path}'.").ConfigureAwait(false);
            return ExitCodes.Failure;
        }

        var info = new FileInfo(path);
        if (info.Length > LiteLlmConfigReader.MaxFileBytes)
        {
            await context.Error.WriteLineAsync($"kait: {path} is larger than {LiteLlmConfigReader.MaxFileBytes} bytes; not a pulled config.").ConfigureAwait(false);
            return ExitCodes.Failure;
        }

        var read = LiteLlmConfigReader.Read(await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false), path, cancellationToken: cancellationToken);
        if (read.HasErrors)
        {
            var first = read.Diagnostics.First(d => d.Severity == ConfigSeverity.Error);
            await context.Error.WriteLineAsync("kait: " + KaitCli.OneLine($"{path}: {first}")).ConfigureAwait(false);
            return ExitCodes.Failure;
        }

        var (added, removed) = ProxyConfigPull.Compare(
            deployments.Select(d => d.Name),
            read.Config.Aliases.Select(a => a.Name).Concat(read.Config.Wildcards.Select(w => w.Pattern)));
        if (added.Count == 0 && removed.Count == 0)
        {
            await context.Error.WriteLineAsync($"[{path} matches the proxy's aliases]").ConfigureAwait(false);
            return ExitCodes.Success;
        }

        var parts = new List<string>();
        if (added.Count > 0)
        {
            parts.Add("added on the proxy: " + string.Join(", ", added));
        }

        if (removed.Count > 0)
        {
            parts.Add("removed from the proxy: " + string.Join(", ", removed));
        }

        await context.Error.WriteLineAsync($"kait: {path} has drifted from the proxy ({string.Join("; ", parts)}). Run 'kait config pull --out {path}'.").ConfigureAwait(false);
        return ExitCodes.Failure;
    }
}
