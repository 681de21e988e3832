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

    /// <summary>Input plus output.</summary>
    public int TotalTokens => InputTokens + OutputTokens;
}
