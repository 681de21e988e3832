namespace Kait.Sdk;

/// <summary>One piece of a streamed reply. The last delta of a stream carries <see cref="Result"/>: the whole text,
/// usage, cost and route.</summary>
/// <param name="Text">The new text (empty on the final delta).</param>
/// <param name="Result">The final result; null on every delta but the last.</param>
public sealed record LlmDelta(string Text, LlmResult? Result = null)
{
    /// <summary>New reasoning text (Anthropic's <c>thinking_delta</c>, LiteLLM's <c>delta.reasoning_content</c>); empty
    /// when the delta has none. The whole reasoning is in <see cref="LlmResult.Reasoning"/>.</summary>
    public string Reasoning { get; init; } = string.Empty;

    /// <summary>A reasoning block completed by this delta, with its signature (or a redacted block); null on most
    /// deltas. The final <see cref="LlmResult.ReasoningBlocks"/> has them all.</summary>
    public LlmReasoningBlock? ReasoningBlock { get; init; }

    /// <summary>True on the last delta.</summary>
    public bool IsFinal => Result is not null;
}
