using System.Text.Json.Nodes;

namespace Kait.Sdk.Translation;

/// <summary>
/// Prompt-caching breakpoints: <c>cache_control: {"type": "ephemeral"}</c> on the system prompt's last block, the last
/// tool and the last block of a marked message, as Anthropic documents
/// (https://docs.anthropic.com/en/docs/build-with-claude/prompt-caching); through the proxy the same marks go on the
/// OpenAI-shaped content parts and tools, which LiteLLM passes on (https://docs.litellm.ai/docs/completion/prompt_caching).
/// </summary>
internal static class PromptCacheShapes
{
    public static JsonObject Ephemeral() => new() { ["type"] = "ephemeral" };

    /// <summary>Content (a string or an array of blocks) as blocks whose last carries a breakpoint; null stays null.</summary>
    public static JsonNode? Mark(JsonNode? content)
    {
        switch (content)
        {
            case null:
                return null;
            case JsonArray { Count: > 0 } array:
                if (array[^1] is JsonObject last)
                {
                    last["cache_control"] = Ephemeral();
                }

                return array;
            case JsonArray empty:
                return empty;
            default:
                var text = content.GetValue<string>();
                return new JsonArray(new JsonObject { ["type"] = "text", ["text"] = text, ["cache_control"] = Ephemeral() });
        }
    }

    /// <summary>Anthropic's <c>system</c>: the text, or (with a breakpoint: <see cref="LlmPromptCaching.System"/>, or a
    /// system message marked with <see cref="LlmMessage.CacheBreakpoint"/>) one text block that carries it.</summary>
    public static JsonNode? AnthropicSystem(string? system, LlmCallOptions options, IReadOnlyList<LlmMessage> messages) =>
        system is null ? null
        : options.PromptCaching?.System == true || messages.Any(m => m.Role == LlmRole.System && m.CacheBreakpoint) ? Mark(JsonValue.Create(system))
        : JsonValue.Create(system);
}
