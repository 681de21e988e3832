namespace Kait.Sdk;

/// <summary>One piece of a streamed reply. The last delta of a stream carries <see cref="Result"/>: the whole text,
/// usage, cost and route.</summary>
/// <param name="Text">The new text (empty on the final delta).</param>
/// <param name="Result">The final result; null on every delta but the last.</param>
public sealed record LlmDelta(string Text, LlmResult? Result = null)
{
    /// <summary>True on the last delta.</summary>
    public bool IsFinal => Result is not null;
}
