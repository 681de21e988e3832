using System.Text;
using Kait.Sdk.Pipeline;
using Kait.Sdk.Transport;
using Kait.Sdk.Transport.Dtos;

namespace Kait.Sdk.Translation;

/// <summary>The unified chat shape to and from OpenAI's (which the LiteLLM proxy speaks too).</summary>
internal static class OpenAITranslator
{
    /// <summary>The request. <paramref name="includeMetadata"/>: LiteLLM's <c>metadata</c> (proxy only).</summary>
    public static OpenAIChatRequest ToRequest(string model, IReadOnlyList<LlmMessage> messages, LlmCallOptions options, bool stream, bool includeMetadata)
    {
        var request = Shape(model, messages, options, stream, includeMetadata);
        if (includeMetadata)
        {
            ProxyExtensions.Apply(request, messages, options);
        }

        return request;
    }

    private static OpenAIChatRequest Shape(string model, IReadOnlyList<LlmMessage> messages, LlmCallOptions options, bool stream, bool includeMetadata) => new()
    {
        Model = model,
        Messages = OpenAIRequestShapes.Messages(messages),
        Temperature = options.Temperature,
        TopP = options.TopP,
        MaxTokens = options.MaxTokens,
        Stop = options.Stop is { Count: > 0 } stop ? stop : null,
        Seed = options.Seed,
        User = options.User,
        Metadata = includeMetadata ? ProxyExtensions.Metadata(options) : null,
        Cache = includeMetadata && options.Cache is { } cache ? new OpenAICacheControl
        {
            NoCache = cache.NoCache ? true : null,
            NoStore = cache.NoStore ? true : null,
            Ttl = cache.Ttl?.TotalSeconds,
            SMaxAge = cache.SMaxAge?.TotalSeconds,
            Namespace = cache.Namespace,
        } : null,
        Stream = stream ? true : null,
        StreamOptions = stream ? new OpenAIStreamOptions { IncludeUsage = true } : null,
        Tools = OpenAIRequestShapes.Tools(options),
        ToolChoice = OpenAIRequestShapes.ToolChoice(options),
        ParallelToolCalls = OpenAIRequestShapes.ParallelToolCalls(options),
        ResponseFormat = OpenAIRequestShapes.ResponseFormat(options),
        ReasoningEffort = ReasoningShapes.Effort(options),
    };

    /// <summary>A whole completion.</summary>
    public static CallReply FromResponse(OpenAIChatResponse response, System.Net.Http.Headers.HttpResponseHeaders? proxyHeaders = null)
    {
        var choice = response.Choices is { Count: > 0 } choices ? choices[0] : null;

        // The LiteLLM proxy's x-litellm-* headers, read here rather than copied in afterwards.
        var proxy = ProxyHeaders.Read(proxyHeaders);
        var reasoning = ReasoningShapes.FromLiteLlm(choice?.Message?.ThinkingBlocks);
        return new CallReply
        {
            CallId = proxy.CallId,
            ProxyCostHeader = proxy.Cost,
            ProxyRetries = proxy.Retries,
            RateLimits = RateLimitHeaders.Read(proxyHeaders),
            ServedBy = RateLimitHeaders.ServedBy(proxyHeaders),
            AdditionalFields = response.Unmapped,
            Reasoning = choice?.Message?.ReasoningContent is { Length: > 0 } said ? said : ReasoningShapes.Text(reasoning),
            ReasoningBlocks = reasoning,
            Text = choice?.Message?.Content ?? string.Empty,
            Refusal = choice?.Message?.Refusal,
            Usage = ToUsage(response.Usage),
            FinishReason = choice?.FinishReason,
            ResponseModel = response.Model,
            ResponseId = response.Id,
            ToolCalls = ToolCalls(choice?.Message?.ToolCalls),
        };
    }

    private static IReadOnlyList<LlmToolCall> ToolCalls(IReadOnlyList<OpenAIToolCall>? calls)
    {
        if (calls is not { Count: > 0 })
        {
            return [];
        }

        var assembler = new ToolCallAssembler();
        foreach (var (call, i) in calls.Select((c, i) => (c, i)))
        {
            assembler.Add(i, call.Id, call.Function?.Name, call.Function?.Arguments);
        }

        return assembler.ToCalls();
    }

    /// <summary>OpenAI usage: <c>prompt_tokens</c> already counts cached tokens.</summary>
    public static LlmUsage ToUsage(OpenAIUsage? usage) => usage is null
        ? LlmUsage.Empty
        : new LlmUsage(
            usage.PromptTokens,
            usage.PromptTokensDetails?.CachedTokens ?? usage.CacheReadInputTokens ?? 0,
            usage.CompletionTokens,
            usage.CacheCreationInputTokens ?? 0)
        {
            ReasoningTokens = usage.CompletionTokensDetails?.ReasoningTokens ?? 0,
        };

    /// <summary>Folds streamed chunks into a result.</summary>
    internal sealed class StreamAccumulator
    {
        private readonly StringBuilder text = new();
        private readonly ToolCallAssembler toolCalls = new();
        private readonly ReasoningShapes.Accumulator reasoning = new();
        private OpenAIUsage? usage;
        private string? finishReason;
        private string? model;
        private string? id;
        private StringBuilder? refusal;

        /// <summary>Takes a chunk; returns its text (empty when it has none); <paramref name="thinking"/>: its reasoning
        /// text (LiteLLM's <c>delta.reasoning_content</c>); <paramref name="signed"/>: a reasoning block it completed.</summary>
        public string Add(OpenAIChatResponse chunk, out string thinking, out LlmReasoningBlock? signed)
        {
            thinking = string.Empty;
            signed = null;
            id ??= chunk.Id;
            model ??= chunk.Model;
            usage = chunk.Usage ?? usage;
            var delta = string.Empty;
            if (chunk.Choices is { Count: > 0 } choices)
            {
                delta = choices[0].Delta?.Content ?? string.Empty;
                if (choices[0].Delta?.Refusal is { Length: > 0 } refused)
                {
                    (refusal ??= new StringBuilder()).Append(refused);
                }

                finishReason = choices[0].FinishReason ?? finishReason;
                thinking = AddReasoning(choices[0].Delta, out signed);
                foreach (var call in choices[0].Delta?.ToolCalls ?? [])
                {
                    toolCalls.Add(call.Index, call.Id, call.Function?.Name, call.Function?.Arguments);
                }
            }

            text.Append(delta);
            return delta;
        }

        public CallReply ToResult(System.Net.Http.Headers.HttpResponseHeaders? proxyHeaders = null)
        {
            var proxy = ProxyHeaders.Read(proxyHeaders);
            return new CallReply
            {
                RateLimits = RateLimitHeaders.Read(proxyHeaders),
                ServedBy = RateLimitHeaders.ServedBy(proxyHeaders),
                ReasoningBlocks = reasoning.Blocks(),
                Reasoning = reasoning.AllText,
                CallId = proxy.CallId,
                ProxyCostHeader = proxy.Cost,
                ProxyRetries = proxy.Retries,
                Text = text.ToString(),
                Refusal = refusal?.ToString(),
                Usage = ToUsage(usage),
                FinishReason = finishReason,
                ResponseModel = model,
                ResponseId = id,
                ToolCalls = toolCalls.ToCalls(),
            };
        }

        /// <summary>A delta's reasoning: <c>reasoning_content</c> text, and <c>thinking_blocks</c> whose text repeats it
        /// (only their signatures and redacted data are new); returns the new reasoning text.</summary>
        private string AddReasoning(OpenAIMessage? delta, out LlmReasoningBlock? signed)
        {
            signed = null;
            if (delta is null)
            {
                return string.Empty;
            }

            var said = delta.ReasoningContent ?? string.Empty;
            var blockText = false;
            foreach (var block in delta.ThinkingBlocks ?? [])
            {
                if (block.Type == "redacted_thinking")
                {
                    signed = reasoning.Redacted(block.Data);
                    continue;
                }

                reasoning.AddText(block.Thinking);
                blockText |= !string.IsNullOrEmpty(block.Thinking);
                signed = reasoning.Sign(block.Signature) ?? signed;
            }

            if (!blockText)
            {
                reasoning.AddLooseText(said);
            }

            return said.Length > 0 ? said : string.Empty;
        }
    }
}
