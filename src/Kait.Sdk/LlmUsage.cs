namespace Kait.Sdk;

/// <summary>Token counts of a call, normalised across providers.</summary>
/// <param name="InputTokens">Every prompt token, cached ones included (Anthropic's <c>input_tokens</c> plus its cache
/// reads and writes; OpenAI's <c>prompt_tokens</c>).</param>
/// <param name="CachedInputTokens">Prompt tokens read from the provider's cache (part of <paramref name="InputTokens"/>).</param>
/// <param name="OutputTokens">Generated tokens.</param>
/// <param name="CacheCreationInputTokens">Prompt tokens written to the provider's cache (part of
/// <paramref name="InputTokens"/>; Anthropic).</param>
public sealed record LlmUsage(int InputTokens, int CachedInputTokens, int OutputTokens, int CacheCreationInputTokens = 0)
{
    /// <summary>No tokens.</summary>
    public static LlmUsage Empty { get; } = new(0, 0, 0);

    /// <summary>Generated tokens spent on reasoning (part of <see cref="OutputTokens"/>, priced at the output rate as
    /// LiteLLM does): OpenAI's and LiteLLM's <c>completion_tokens_details.reasoning_tokens</c>. Anthropic does not count
    /// thinking apart: 0 on the Claude bridge.</summary>
    public int ReasoningTokens { get; init; }

    /// <summary>Input plus output.</summary>
    public int TotalTokens => InputTokens + OutputTokens;

    /// <summary>Prompt tokens billed at the plain input rate: input less cache reads and cache writes (LiteLLM's
    /// "text tokens").</summary>
    public int UncachedInputTokens => Math.Max(0, InputTokens - CachedInputTokens - CacheCreationInputTokens);

    /// <summary>From OpenAI's usage, whose <c>prompt_tokens</c> already include <c>cached_tokens</c>.</summary>
    /// <param name="promptTokens"><c>prompt_tokens</c>.</param>
    /// <param name="completionTokens"><c>completion_tokens</c>.</param>
    /// <param name="cachedTokens"><c>prompt_tokens_details.cached_tokens</c>.</param>
    public static LlmUsage FromOpenAi(int promptTokens, int completionTokens, int cachedTokens = 0) =>
        new(promptTokens, cachedTokens, completionTokens);

    /// <summary>From Anthropic's usage, whose <c>input_tokens</c> exclude cache reads and writes.</summary>
    /// <param name="inputTokens"><c>input_tokens</c>.</param>
    /// <param name="outputTokens"><c>output_tokens</c>.</param>
    /// <param name="cacheReadInputTokens"><c>cache_read_input_tokens</c>.</param>
    /// <param name="cacheCreationInputTokens"><c>cache_creation_input_tokens</c>.</param>
    public static LlmUsage FromAnthropic(int inputTokens, int outputTokens, int cacheReadInputTokens = 0, int cacheCreationInputTokens = 0) =>
        new(inputTokens + cacheReadInputTokens + cacheCreationInputTokens, cacheReadInputTokens, outputTokens, cacheCreationInputTokens);
}
