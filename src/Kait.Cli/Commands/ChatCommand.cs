using System.CommandLine;
using System.Text;
using System.Text.Json;
using Kait.Cli.Output;
using Kait.Sdk;
using Microsoft.Extensions.DependencyInjection;

namespace Kait.Cli.Commands;

/// <summary><c>kait chat --model &lt;alias&gt; [--system TEXT] [--stream] [--json] [--reasoning low|medium|high|xhigh|none]
/// [--tag TAG]... &lt;prompt&gt;</c>.</summary>
internal static class ChatCommand
{
    public static Command Create(CliContext context)
    {
        var model = new Option<string>("--model", "-m") { Description = "The model alias", Required = true };
        var system = new Option<string?>("--system") { Description = "A system prompt" };
        var stream = new Option<bool>("--stream") { Description = "Print the answer as it arrives" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object with the text, usage, cost and route" };
        var maxTokens = new Option<int?>("--max-tokens") { Description = "Maximum output tokens" };
        var temperature = new Option<double?>("--temperature") { Description = "Sampling temperature" };
        var reasoning = new Option<string?>("--reasoning") { Description = "Reasoning effort: none, low, medium, high or xhigh (Anthropic: a thinking budget)" };
        reasoning.AcceptOnlyFromAmong("none", "low", "medium", "high", "xhigh");
        var tags = new Option<string[]>("--tag") { Description = "A spend tag (repeatable): booked in the ledger (kait costs --by tag) and sent to the proxy as metadata.tags" };
        var prompt = new Argument<string[]>("prompt") { Description = "The prompt (words are joined)", Arity = ArgumentArity.OneOrMore };
        prompt.Validators.Add(result =>
        {
            // The prompt takes the remaining words; a word that looks like an option is a typo, not text.
            foreach (var token in result.Tokens)
            {
                if (token.Value.StartsWith("--", StringComparison.Ordinal) && token.Value.Length > 2)
                {
                    result.AddError($"Unrecognized option '{token.Value}'.");
                }
            }
        });
        var command = new Command("chat", "Send one prompt to a model alias") { model, system, stream, json, maxTokens, temperature, reasoning, tags, prompt };
        command.SetAction(async (parse, ct) =>
        {
            await using var services = CliServices.Build(context, parse.GetValue(KaitCli.ConfigOption), parse.GetValue(KaitCli.VerboseOption));
            var gateway = services.GetRequiredService<ILlmGateway>();
            var alias = gateway.Catalog.Resolve(parse.GetValue(model)!);
            var messages = new List<LlmMessage>();
            if (parse.GetValue(system) is { Length: > 0 } systemPrompt)
            {
                messages.Add(LlmMessage.System(systemPrompt));
            }

            messages.Add(LlmMessage.User(string.Join(' ', parse.GetValue(prompt)!)));
            var options = new LlmCallOptions { MaxTokens = parse.GetValue(maxTokens), Temperature = parse.GetValue(temperature), Reasoning = Reasoning(parse.GetValue(reasoning)), Tags = parse.GetValue(tags) is { Length: > 0 } tagList ? tagList : null };
            var asJson = parse.GetValue(json);
            LlmResult? result = null;
            if (parse.GetValue(stream))
            {
                var text = new StringBuilder();
                await foreach (var delta in gateway.StreamChatAsync(alias, messages, options, ct).ConfigureAwait(false))
                {
                    if (delta.Result is not null)
                    {
                        result = delta.Result;
                        continue;
                    }

                    text.Append(delta.Text);
                    if (!asJson)
                    {
                        await context.Out.WriteAsync(delta.Text).ConfigureAwait(false);
                        await context.Out.FlushAsync(ct).ConfigureAwait(false);
                    }
                }

                result ??= new LlmResult { Text = text.ToString(), Usage = LlmUsage.Empty, Alias = alias.Name, Route = LlmRoute.Proxy };
                if (!asJson)
                {
                    await context.Out.WriteLineAsync().ConfigureAwait(false);
                }
            }
            else
            {
                result = await gateway.ChatAsync(alias, messages, options, ct).ConfigureAwait(false);
                if (!asJson)
                {
                    await context.Out.WriteLineAsync(result.Text).ConfigureAwait(false);
                }
            }

            if (asJson)
            {
                await context.Out.WriteLineAsync(JsonSerializer.Serialize(ToJson(result), CliJsonContext.Default.ChatJson)).ConfigureAwait(false);
            }
            else
            {
                var cost = result.CostUsd is { } usd ? "$" + usd.ToString("0.######", System.Globalization.CultureInfo.InvariantCulture) : "cost unknown";
                await context.Error.WriteLineAsync($"[{result.Alias} → {result.ProviderModel} via {Route(result.Route)}; {result.Usage.InputTokens} in / {result.Usage.OutputTokens} out; {cost} ({result.CostSource.ToName()}){(result.Cached ? "; cached" : string.Empty)}]").ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    internal static ChatJson ToJson(LlmResult r) => new(
        r.Text, r.Alias, r.Provider, r.ProviderModel, Route(r.Route), r.Usage.InputTokens, r.Usage.CachedInputTokens, r.Usage.OutputTokens,
        r.CostUsd, r.CostSource.ToName(), r.Cached, r.Attempts, r.ProxyRetries, r.CallId)
    {
        CacheCreationInputTokens = r.Usage.CacheCreationInputTokens,
        ReasoningTokens = r.Usage.ReasoningTokens,
        Reasoning = r.Reasoning,
    };

    private static LlmReasoning? Reasoning(string? effort) => effort switch
    {
        null => null,
        "none" => new LlmReasoning(LlmReasoningEffort.None),
        "low" => LlmReasoning.Low,
        "medium" => LlmReasoning.Medium,
        "high" => LlmReasoning.High,
        _ => new LlmReasoning(LlmReasoningEffort.ExtraHigh),
    };

    private static string Route(LlmRoute route) => route == LlmRoute.Proxy ? "proxy" : "direct";
}
