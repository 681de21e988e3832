namespace Kait.Sdk;

/// <summary>
/// Prompt-caching breakpoints (Anthropic's <c>cache_control: {"type": "ephemeral"}</c>, sent on the Claude bridge and
/// through the proxy, which passes them on). A breakpoint caches the prompt up to and including the block it marks; a
/// message is marked with <see cref="LlmMessage.CacheBreakpoint"/>. OpenAI caches long prompts on its own: on the OpenAI
/// bridge nothing is sent, and cached reads are still counted and priced.
/// </summary>
public sealed record LlmPromptCaching
{
    /// <summary>The simple default: cache the system prompt and the tools.</summary>
    public static LlmPromptCaching SystemAndTools { get; } = new() { System = true, Tools = true };

    /// <summary>Marks the end of the system prompt.</summary>
    public bool System { get; init; }

    /// <summary>Marks the last tool definition (so all tools are cached).</summary>
    public bool Tools { get; init; }
}
