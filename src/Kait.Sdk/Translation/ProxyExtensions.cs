using System.Text.Json.Nodes;
using Kait.Sdk.Transport.Dtos;

namespace Kait.Sdk.Translation;

/// <summary>What only the LiteLLM proxy is sent on top of OpenAI's shape: <c>metadata</c> with its <c>tags</c> as a
/// list (https://docs.litellm.ai/docs/proxy/cost_tracking), prompt-caching breakpoints on content parts and tools,
/// <c>thinking_blocks</c> of earlier assistant turns, and <c>thinking</c> with an explicit budget.</summary>
internal static class ProxyExtensions
{
    /// <summary>The most tags a call may carry.</summary>
    public const int MaxTags = 64;

    /// <summary>The longest tag.</summary>
    public const int MaxTagLength = 256;

    /// <summary>The caller's tags, checked: 1 to <see cref="MaxTagLength"/> characters each, no control characters, at
    /// most <see cref="MaxTags"/>; null when none.</summary>
    public static IReadOnlyList<string>? Tags(LlmCallOptions options)
    {
        if (options.Tags is not { Count: > 0 } tags)
        {
            return null;
        }

        if (tags.Count > MaxTags)
        {
            throw new ArgumentException($"LlmCallOptions.Tags has {tags.Count} tags: at most {MaxTags}.", nameof(options));
        }

        foreach (var tag in tags)
        {
            if (string.IsNullOrWhiteSpace(tag) || tag.Length > MaxTagLength || tag.Any(char.IsControl))
            {
                throw new ArgumentException($"LlmCallOptions.Tags: a tag must be 1 to {MaxTagLength} characters without control characters (got {(tag is null ? "null" : tag.Length + " characters")}).", nameof(options));
            }
        }

        return tags;
    }

    /// <summary>LiteLLM's <c>metadata</c>: the caller's strings and <c>tags</c> as a list; null when there is neither.</summary>
    public static JsonNode? Metadata(LlmCallOptions options)
    {
        var tags = Tags(options);
        if (options.Metadata is not { Count: > 0 } && tags is null)
        {
            return null;
        }

        var metadata = new JsonObject();
        foreach (var (key, value) in options.Metadata ?? new Dictionary<string, string>())
        {
            metadata[key] = value;
        }

        if (tags is not null)
        {
            // A "tags" string in Metadata is replaced: LiteLLM reads a list.
            metadata["tags"] = new JsonArray(tags.Select(t => (JsonNode?)JsonValue.Create(t)).ToArray());
        }

        return metadata;
    }

    /// <summary>Adds the breakpoints and thinking blocks to the shaped messages (one per message, in order) and tools.</summary>
    public static void Apply(OpenAIChatRequest request, IReadOnlyList<LlmMessage> messages, LlmCallOptions options)
    {
        var shaped = request.Messages;
        var lastSystem = -1;
        for (var i = 0; i < messages.Count && i < shaped.Count; i++)
        {
            var m = messages[i];
            if (m.Role == LlmRole.System)
            {
                lastSystem = i;
            }

            if (m.Role == LlmRole.Assistant)
            {
                shaped[i].ThinkingBlocks = ReasoningShapes.LiteLlmThinkingBlocks(m);
            }

            if (m.CacheBreakpoint)
            {
                shaped[i].Content = PromptCacheShapes.Mark(shaped[i].Content);
            }
        }

        if (options.PromptCaching?.System == true && lastSystem >= 0)
        {
            shaped[lastSystem].Content = PromptCacheShapes.Mark(shaped[lastSystem].Content);
        }

        if (options.PromptCaching?.Tools == true && request.Tools is { Count: > 0 } tools)
        {
            tools[^1].CacheControl = PromptCacheShapes.Ephemeral();
        }

        if (options.Reasoning?.BudgetTokens is not null)
        {
            request.Thinking = ReasoningShapes.AnthropicThinking(ReasoningShapes.Budget(options));
        }
    }
}
