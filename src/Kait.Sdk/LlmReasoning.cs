namespace Kait.Sdk;

/// <summary>How hard a reasoning model thinks before it answers (M.E.AI's <c>ReasoningEffort</c>).</summary>
public enum LlmReasoningEffort
{
    /// <summary>No reasoning: <c>reasoning_effort: "none"</c>; no <c>thinking</c> on Anthropic.</summary>
    None,

    /// <summary><c>low</c>; Anthropic thinking budget 1,024 tokens.</summary>
    Low,

    /// <summary><c>medium</c>; Anthropic thinking budget 2,048 tokens.</summary>
    Medium,

    /// <summary><c>high</c>; Anthropic thinking budget 4,096 tokens.</summary>
    High,

    /// <summary><c>xhigh</c>; Anthropic thinking budget 8,192 tokens.</summary>
    ExtraHigh,
}

/// <summary>Reasoning for one call: OpenAI's and LiteLLM's <c>reasoning_effort</c>, Anthropic's extended
/// <c>thinking</c> with a token budget derived from the effort (or given), <c>max_tokens</c> kept above it.</summary>
/// <param name="Effort">How hard to think.</param>
public sealed record LlmReasoning(LlmReasoningEffort Effort)
{
    /// <summary>Anthropic's <c>budget_tokens</c> in place of the effort's (at least 1,024, as Anthropic requires); on the
    /// proxy it is sent as <c>thinking</c> too. Null: derived from <see cref="Effort"/>.</summary>
    public int? BudgetTokens { get; init; }

    /// <summary><c>low</c>.</summary>
    public static LlmReasoning Low { get; } = new(LlmReasoningEffort.Low);

    /// <summary><c>medium</c>.</summary>
    public static LlmReasoning Medium { get; } = new(LlmReasoningEffort.Medium);

    /// <summary><c>high</c>.</summary>
    public static LlmReasoning High { get; } = new(LlmReasoningEffort.High);
}

/// <summary>One block of the model's reasoning as the provider returned it: Anthropic's <c>thinking</c> block (its text
/// and <c>signature</c>) or <c>redacted_thinking</c> block (its opaque <c>data</c>); LiteLLM's <c>thinking_blocks</c>. Send
/// it back unchanged in the assistant message of the next turn (<see cref="LlmResult.ToAssistantMessage"/>): Anthropic
/// requires it when thinking and tool use meet.</summary>
/// <param name="Text">The thinking text (empty for a redacted block).</param>
/// <param name="Signature">The signature that lets the provider verify the block; null when none was given.</param>
public sealed record LlmReasoningBlock(string Text, string? Signature = null)
{
    /// <summary>The opaque data of a <c>redacted_thinking</c> block; null for a plain thinking block.</summary>
    public string? RedactedData { get; init; }
}
