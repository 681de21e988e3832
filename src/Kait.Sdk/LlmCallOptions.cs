using System.Text;

namespace Kait.Sdk;

/// <summary>Per-call settings. Everything is optional; a null leaves the server's default. <see cref="ToString"/> never
/// prints <see cref="VirtualKey"/> (only <c>***</c> when one is set).</summary>
public sealed record LlmCallOptions
{
    /// <summary>No options.</summary>
    public static LlmCallOptions None { get; } = new();

    /// <summary>Sampling temperature.</summary>
    public double? Temperature { get; init; }

    /// <summary>Nucleus sampling.</summary>
    public double? TopP { get; init; }

    /// <summary>The most tokens to generate (Anthropic requires one: <see cref="KaitOptions.AnthropicDefaultMaxTokens"/>
    /// when unset).</summary>
    public int? MaxTokens { get; init; }

    /// <summary>Stop sequences.</summary>
    public IReadOnlyList<string>? Stop { get; init; }

    /// <summary>Seed for deterministic sampling (OpenAI and the proxy; Anthropic has none).</summary>
    public long? Seed { get; init; }

    /// <summary>The end user (<c>user</c>; Anthropic's <c>metadata.user_id</c>).</summary>
    public string? User { get; init; }

    /// <summary>LiteLLM request metadata (sent to the proxy only).</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>This call's timeout, retries included; null for <see cref="KaitResilienceOptions.RequestTimeout"/>;
    /// <see cref="System.Threading.Timeout.InfiniteTimeSpan"/> for none. Zero or negative is an
    /// <see cref="ArgumentOutOfRangeException"/>.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Headers added to the request (not <c>Authorization</c> nor <c>x-api-key</c>: keys come from the
    /// environment or <see cref="VirtualKey"/>).</summary>
    public IReadOnlyDictionary<string, string>? ExtraHeaders { get; init; }

    /// <summary>A LiteLLM virtual key used in place of the master key (proxy route only).</summary>
    public string? VirtualKey { get; init; }

    /// <summary>Tools the model may call (part of the request, so of any response cache's key).</summary>
    public IReadOnlyList<LlmTool>? Tools { get; init; }

    /// <summary>Whether and which tool to call; null leaves the server's default (auto when tools are given).</summary>
    public LlmToolChoice? ToolChoice { get; init; }

    /// <summary>Whether the model may make several tool calls in one turn (<c>parallel_tool_calls</c>; Anthropic's
    /// <c>disable_parallel_tool_use</c>); null leaves the default.</summary>
    public bool? ParallelToolCalls { get; init; }

    /// <summary>The reply's format: text, JSON, or JSON valid against a schema.</summary>
    public LlmResponseFormat? ResponseFormat { get; init; }

    /// <summary>This call's use of the response cache (LiteLLM's <c>cache</c> field, also sent to the proxy); null
    /// for the defaults (read and store, <see cref="KaitCacheOptions.Ttl"/>).</summary>
    public LlmCacheControl? Cache { get; init; }

    /// <summary>Reasoning: <c>reasoning_effort</c> on the proxy and OpenAI, extended <c>thinking</c> on the Claude bridge
    /// (see docs/reasoning-and-prompt-caching.md). Null leaves the model's default. Not gated by model: a model that
    /// cannot reason answers the provider's 400.</summary>
    public LlmReasoning? Reasoning { get; init; }

    /// <summary>Prompt-caching breakpoints on the system prompt and tools (<see cref="LlmPromptCaching.SystemAndTools"/>);
    /// a message is marked with <see cref="LlmMessage.CacheBreakpoint"/>. Null: no breakpoint but the messages' own.</summary>
    public LlmPromptCaching? PromptCaching { get; init; }

    /// <summary>Spend tags: sent to the proxy as <c>metadata.tags</c> (LiteLLM's tag-based spend tracking) and booked in
    /// Kait's ledger on every route (<c>kait costs --by tag</c>). Each tag is 1 to 256 characters, at most 64 tags.</summary>
    public IReadOnlyList<string>? Tags { get; init; }

    /// <summary>Raw JSON fields added to the request body, merged last: a field named here replaces the one Kait would
    /// send (<c>fallbacks</c>, <c>guardrails</c>, <c>mock_response</c>, a provider parameter...). <c>model</c>,
    /// <c>messages</c>, <c>input</c>, <c>stream</c> and <c>stream_options</c> are refused (<see cref="ArgumentException"/>):
    /// they are Kait's to decide; so is <c>metadata</c> on a call with <see cref="Tags"/> (use <see cref="Metadata"/>). Sent on every route as given (chat and embeddings); part of the response cache's key.</summary>
    public IReadOnlyDictionary<string, System.Text.Json.JsonElement>? ExtraBody { get; init; }

#pragma warning disable IDE0051 // Not unused: the record's synthesized ToString calls PrintMembers.
    /// <summary>The record's members for <see cref="ToString"/>, as the compiler would print them, but
    /// <see cref="VirtualKey"/> masked: a key never reaches a log through these options.</summary>
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Temperature = ").Append(Temperature)
            .Append(", TopP = ").Append(TopP)
            .Append(", MaxTokens = ").Append(MaxTokens)
            .Append(", Stop = ").Append(Stop)
            .Append(", Seed = ").Append(Seed)
            .Append(", User = ").Append(User)
            .Append(", Metadata = ").Append(Metadata)
            .Append(", Timeout = ").Append(Timeout)
            .Append(", ExtraHeaders = ").Append(ExtraHeaders)
            .Append(", VirtualKey = ").Append(VirtualKey is null ? null : Errors.Redaction.Mask)
            .Append(", Tools = ").Append(Tools)
            .Append(", ToolChoice = ").Append(ToolChoice)
            .Append(", ParallelToolCalls = ").Append(ParallelToolCalls)
            .Append(", ResponseFormat = ").Append(ResponseFormat)
            .Append(", Cache = ").Append(Cache)
            .Append(", Reasoning = ").Append(Reasoning)
            .Append(", PromptCaching = ").Append(PromptCaching)
            .Append(", Tags = ").Append(Tags)
            .Append(", ExtraBody = ").Append(ExtraBody);
        return true;
    }
#pragma warning restore IDE0051
}
