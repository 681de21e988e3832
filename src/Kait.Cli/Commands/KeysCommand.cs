using System.CommandLine;
using System.Globalization;
using Kait.Cli.Output;
using Kait.Sdk;
using Microsoft.Extensions.DependencyInjection;

namespace Kait.Cli.Commands;

/// <summary><c>kait keys create|info|delete</c>: LiteLLM virtual keys on the proxy (master key), for an app or a fleet
/// with its own budget (https://docs.litellm.ai/docs/proxy/virtual_keys). A new key is printed once on stdout and
/// never written anywhere by Kait (no file, log or ledger row holds it); info and delete read it from stdin (or take it or
/// its hash as an argument, with a warning for a key) and send only its hash.</summary>
internal static class KeysCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("keys", "Virtual keys on the LiteLLM proxy: budgets for an app or a fleet");
        command.Subcommands.Add(CreateKey(context));
        command.Subcommands.Add(Info(context));
        command.Subcommands.Add(Delete(context));
        return command;
    }

    private static Command CreateKey(CliContext context)
    {
        var budget = new Option<decimal?>("--budget") { Description = "The most the key may spend, in USD (max_budget)" };
        budget.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<decimal?>() is < 0m)
            {
                r.AddError("--budget cannot be negative.");
            }
        });
        var budgetDuration = new Option<string?>("--budget-duration") { Description = "How often the spend resets: 30m, 24h, 30d, 1mo (budget_duration)" };
        var duration = new Option<string?>("--duration") { Description = "How long the key is valid: 24h, 30d (duration); default: no expiry" };
        var models = new Option<string[]>("--models") { Description = "The aliases the key may call (comma-separated or repeated); checked against the config", AllowMultipleArgumentsPerToken = true };
        var alias = new Option<string?>("--alias") { Description = "A name for the key (key_alias)" };
        var metadata = new Option<string[]>("--metadata") { Description = "NAME=VALUE stored with the key (repeatable)" };
        var command = new Command("create", "Create a virtual key; it is printed once, on stdout") { budget, budgetDuration, duration, models, alias, metadata };
        command.SetAction(async (parse, ct) =>
        {
            await using var services = CliServices.Build(context, parse.GetValue(KaitCli.ConfigOption), parse.GetValue(KaitCli.VerboseOption));
            var catalog = services.GetRequiredService<IModelCatalog>();

            // Every alias must be one of the config's: a misspelt one fails here ("did you mean"), before any request.
            var names = (parse.GetValue(models) ?? []).SelectMany(m => m.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct(StringComparer.Ordinal).ToArray();
            foreach (var name in names)
            {
                catalog.Resolve(name);
            }

            var meta = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var pair in parse.GetValue(metadata) ?? [])
            {
                var at = pair.IndexOf('=', StringComparison.Ordinal);
                if (at <= 0)
                {
                    await context.Error.WriteLineAsync($"kait: --metadata '{pair}' is not NAME=VALUE.").ConfigureAwait(false);
                    return ExitCodes.Usage;
                }

                meta[pair[..at]] = pair[(at + 1)..];
            }

            LiteLlmKeyRequest request;
            try
            {
                request = new LiteLlmKeyRequest
                {
                    MaxBudgetUsd = parse.GetValue(budget),
                    BudgetDuration = parse.GetValue(budgetDuration),
                    Duration = parse.GetValue(duration),
                    Models = names,
                    Metadata = meta.Count > 0 ? meta : null,
                    KeyAlias = parse.GetValue(alias),
                };
                var key = await services.GetRequiredService<LiteLlmProxyClient>().GenerateKeyAsync(request, ct).ConfigureAwait(false);
                await context.Out.WriteLineAsync(Consoles.Printable(key.Key)).ConfigureAwait(false); // the proxy's text: printable only
                await context.Error.WriteLineAsync(
                    $"[virtual key{(key.KeyAlias is null ? string.Empty : " '" + Consoles.Printable(key.KeyAlias) + "'")}: budget {Usd(key.MaxBudgetUsd)}"
                    + $"{(key.BudgetDuration is null ? string.Empty : " per " + Consoles.Printable(key.BudgetDuration))}, models {(key.Models.Count == 0 ? "all" : Consoles.Printable(string.Join(", ", key.Models)))}"
                    + $", expires {(key.Expires is { } e ? e.ToString("u", CultureInfo.InvariantCulture) : "never")}. Shown once: store it in your secret store.]").ConfigureAwait(false);
                return ExitCodes.Success;
            }
            catch (ArgumentException ex)
            {
                await context.Error.WriteLineAsync("kait: " + ex.Message).ConfigureAwait(false);
                return ExitCodes.Usage;
            }
        });
        return command;
    }

    private static Command Info(CliContext context)
    {
        var key = KeyArgument();
        var command = new Command("info", "A virtual key's spend, budget and models (the key is sent as its hash)") { key };
        command.SetAction(async (parse, ct) =>
        {
            await using var services = CliServices.Build(context, parse.GetValue(KaitCli.ConfigOption), parse.GetValue(KaitCli.VerboseOption));
            if (await ReadKeyAsync(context, parse.GetValue(key)).ConfigureAwait(false) is not { } value)
            {
                return ExitCodes.Usage;
            }

            var info = await services.GetRequiredService<LiteLlmProxyClient>().GetKeyInfoAsync(value, ct).ConfigureAwait(false);
            // Everything below is the proxy's text: printed only as printable characters.
            await context.Out.WriteLineAsync($"alias:           {(info.KeyAlias is null ? "-" : Consoles.Printable(info.KeyAlias))}").ConfigureAwait(false);
            await context.Out.WriteLineAsync($"spend:           {Usd(info.SpendUsd)}").ConfigureAwait(false);
            await context.Out.WriteLineAsync($"budget:          {Usd(info.MaxBudgetUsd)}{(info.BudgetDuration is null ? string.Empty : " per " + Consoles.Printable(info.BudgetDuration))}").ConfigureAwait(false);
            await context.Out.WriteLineAsync($"budget resets:   {(info.BudgetResetAt is { } r ? r.ToString("u", CultureInfo.InvariantCulture) : "-")}").ConfigureAwait(false);
            await context.Out.WriteLineAsync($"models:          {(info.Models.Count == 0 ? "all" : Consoles.Printable(string.Join(", ", info.Models)))}").ConfigureAwait(false);
            await context.Out.WriteLineAsync($"expires:         {(info.Expires is { } e ? e.ToString("u", CultureInfo.InvariantCulture) : "never")}").ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Delete(CliContext context)
    {
        var key = KeyArgument();
        var command = new Command("delete", "Delete a virtual key (the key is sent as its hash)") { key };
        command.SetAction(async (parse, ct) =>
        {
            await using var services = CliServices.Build(context, parse.GetValue(KaitCli.ConfigOption), parse.GetValue(KaitCli.VerboseOption));
            if (await ReadKeyAsync(context, parse.GetValue(key)).ConfigureAwait(false) is not { } value)
            {
                return ExitCodes.Usage;
            }

            await services.GetRequiredService<LiteLlmProxyClient>().DeleteKeyAsync(value, ct).ConfigureAwait(false);
            await context.Error.WriteLineAsync("[virtual key deleted]").ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Argument<string?> KeyArgument() => new("key")
    {
        Description = "The key's hash, or the key (sk-...); omitted or -: the key is read from stdin (preferred: a key on the command line is in the process list and the shell history)",
        Arity = ArgumentArity.ZeroOrOne,
    };

    private static async Task<string?> ReadKeyAsync(CliContext context, string? argument)
    {
        var fromStdin = argument is null or "-";
        var value = fromStdin ? (await context.In.ReadLineAsync().ConfigureAwait(false))?.Trim() : argument;
        if (!fromStdin && value!.StartsWith("sk-", StringComparison.Ordinal))
        {
            await context.Error.WriteLineAsync(
                "kait: warning: a key on the command line can be read by other users in the process list and stays in the shell history; pass it on stdin instead (omit it or give -), or give its hash.").ConfigureAwait(false);
        }

        try
        {
            _ = LiteLlmProxyClient.KeyHash(value ?? string.Empty);
            return value;
        }
        catch (ArgumentException)
        {
            await context.Error.WriteLineAsync("kait: the key must be a LiteLLM virtual key (sk-...) or its hash.").ConfigureAwait(false);
            return null;
        }
    }

    private static string Usd(decimal? usd) => usd is { } v ? "$" + v.ToString("0.######", CultureInfo.InvariantCulture) : "none";
}
