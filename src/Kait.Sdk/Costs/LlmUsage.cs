namespace Kait.Sdk.Costs;

/// <summary>
/// A call's token usage, normalised across providers: <see cref="InputTokens"/> INCLUDES the cached prompt tokens
/// (OpenAI's <c>prompt_tokens</c>; Anthropic's <c>input_tokens + cache_read_input_tokens</c>), and tokens written to
/// the provider's cache are counted apart in <see cref="CacheCreationInputTokens"/> (LiteLLM's convention).
/// Use <see cref="FromOpenAi"/> or <see cref="FromAnthropic"/> to build one from a provider's numbers.
/// </summary>
/// <param name="InputTokens">Prompt tokens, cached reads included, cache writes excluded.</param>
/// <param name="OutputTokens">Completion tokens.</param>
/// <param name="CachedInputTokens">Prompt tokens read from the provider's cache (part of <paramref name="InputTokens"/>).</param>
/// <param name="CacheCreationInputTokens">Prompt tokens written to the provider's cache (not part of <paramref name="InputTokens"/>).</param>
public readonly record struct LlmUsage(long InputTokens, long OutputTokens, long CachedInputTokens = 0, long CacheCreationInputTokens = 0)
{
    /// <summary>No tokens.</summary>
    public static LlmUsage None => default;

    /// <summary>Input tokens billed at the plain input rate: <see cref="InputTokens"/> less <see cref="CachedInputTokens"/>.</summary>
    public long UncachedInputTokens => Math.Max(0, InputTokens - CachedInputTokens);

    /// <summary>Every token of the call.</summary>
    public long TotalTokens => InputTokens + CacheCreationInputTokens + OutputTokens;

    /// <summary>From OpenAI's usage, whose <c>prompt_tokens</c> already include <c>prompt_tokens_details.cached_tokens</c>.</summary>
    /// <param name="promptTokens"><c>usage.prompt_tokens</c>.</param>
    /// <param name="completionTokens"><c>usage.completion_tokens</c>.</param>
    /// <param name="cachedTokens"><c>usage.prompt_tokens_details.cached_tokens</c>.</param>
    public static LlmUsage FromOpenAi(long promptTokens, long completionTokens, long cachedTokens = 0)
        => new(promptTokens, completionTokens, cachedTokens);

    /// <summary>From Anthropic's usage, whose <c>input_tokens</c> exclude both cache reads and cache writes.</summary>
    /// <param name="inputTokens"><c>usage.input_tokens</c>.</param>
    /// <param name="outputTokens"><c>usage.output_tokens</c>.</param>
    /// <param name="cacheReadInputTokens"><c>usage.cache_read_input_tokens</c>.</param>
    /// <param name="cacheCreationInputTokens"><c>usage.cache_creation_input_tokens</c>.</param>
    public static LlmUsage FromAnthropic(long inputTokens, long outputTokens, long cacheReadInputTokens = 0, long cacheCreationInputTokens = 0)
        => new(inputTokens + cacheReadInputTokens, outputTokens, cacheReadInputTokens, cacheCreationInputTokens);
}
