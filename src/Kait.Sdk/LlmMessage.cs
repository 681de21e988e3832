namespace Kait.Sdk;

/// <summary>Who speaks a message.</summary>
public enum LlmRole
{
    /// <summary>Instructions (Anthropic's <c>system</c> prompt).</summary>
    System,

    /// <summary>The user.</summary>
    User,

    /// <summary>The model.</summary>
    Assistant,

    /// <summary>A tool's result (<see cref="LlmMessage.ToolCallId"/> names the call it answers).</summary>
    Tool,
}

/// <summary>One message of a chat, in the unified shape every route translates from.</summary>
/// <param name="Role">Who speaks.</param>
/// <param name="Content">The text (with <see cref="Parts"/>, the text is sent from the parts; a tool result's text).</param>
public sealed record LlmMessage(LlmRole Role, string Content)
{
    /// <summary>Text and image parts, sent in place of <see cref="Content"/> when set (user messages).</summary>
    public IReadOnlyList<LlmContentPart>? Parts { get; init; }

    /// <summary>The tool calls an assistant message made.</summary>
    public IReadOnlyList<LlmToolCall>? ToolCalls { get; init; }

    /// <summary>The call a <see cref="LlmRole.Tool"/> message answers.</summary>
    public string? ToolCallId { get; init; }

    /// <summary>True when a <see cref="LlmRole.Tool"/> message reports the tool's failure (Anthropic's
    /// <c>is_error</c>; OpenAI has no flag: the content says it).</summary>
    public bool IsToolError { get; init; }

    /// <summary>The reasoning blocks an assistant message carried (<see cref="LlmResult.ReasoningBlocks"/>), sent back
    /// unchanged: before the text and tool calls on Anthropic, as <c>thinking_blocks</c> through the proxy; not sent to
    /// OpenAI.</summary>
    public IReadOnlyList<LlmReasoningBlock>? ReasoningBlocks { get; init; }

    /// <summary>A prompt-caching breakpoint after this message (<c>cache_control</c> on its last block; Anthropic and the
    /// proxy): the prompt up to here is cached.</summary>
    public bool CacheBreakpoint { get; init; }

    /// <summary>A system message.</summary>
    public static LlmMessage System(string content) => new(LlmRole.System, content);

    /// <summary>A user message.</summary>
    public static LlmMessage User(string content) => new(LlmRole.User, content);

    /// <summary>An assistant message.</summary>
    public static LlmMessage Assistant(string content) => new(LlmRole.Assistant, content);

    /// <summary>A user message of text and image parts.</summary>
    /// <param name="parts">The parts.</param>
    public static LlmMessage User(params IReadOnlyList<LlmContentPart> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        return new(LlmRole.User, string.Concat(parts.Where(p => p.Kind == LlmContentPartKind.Text).Select(p => p.Text))) { Parts = parts };
    }

    /// <summary>An assistant message that calls tools.</summary>
    /// <param name="toolCalls">The calls.</param>
    /// <param name="content">Text said beside them.</param>
    public static LlmMessage AssistantToolCalls(IReadOnlyList<LlmToolCall> toolCalls, string content = "")
    {
        ArgumentNullException.ThrowIfNull(toolCalls);
        return new(LlmRole.Assistant, content) { ToolCalls = toolCalls };
    }

    /// <summary>A tool's result.</summary>
    /// <param name="toolCallId">The call it answers.</param>
    /// <param name="content">The result (text or JSON).</param>
    public static LlmMessage ToolResult(string toolCallId, string content)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(toolCallId);
        return new(LlmRole.Tool, content) { ToolCallId = toolCallId };
    }
}
