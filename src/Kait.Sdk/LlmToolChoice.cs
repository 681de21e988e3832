namespace Kait.Sdk;

/// <summary>How <see cref="LlmToolChoice"/> constrains tool calls.</summary>
public enum LlmToolChoiceMode
{
    /// <summary>The model decides.</summary>
    Auto,

    /// <summary>No tool call.</summary>
    None,

    /// <summary>At least one tool call, of any tool.</summary>
    Required,

    /// <summary>A call of the tool <see cref="LlmToolChoice.ToolName"/>.</summary>
    Named,
}

/// <summary>Whether and which tool the model must call (OpenAI's <c>tool_choice</c>; Anthropic's <c>auto</c>,
/// <c>none</c>, <c>any</c>, <c>tool</c>).</summary>
public sealed record LlmToolChoice
{
    private LlmToolChoice(LlmToolChoiceMode mode, string? toolName)
    {
        Mode = mode;
        ToolName = toolName;
    }

    /// <summary>The model decides.</summary>
    public static LlmToolChoice Auto { get; } = new(LlmToolChoiceMode.Auto, null);

    /// <summary>No tool call.</summary>
    public static LlmToolChoice None { get; } = new(LlmToolChoiceMode.None, null);

    /// <summary>At least one tool call.</summary>
    public static LlmToolChoice Required { get; } = new(LlmToolChoiceMode.Required, null);

    /// <summary>The mode.</summary>
    public LlmToolChoiceMode Mode { get; }

    /// <summary>The tool to call when <see cref="Mode"/> is <see cref="LlmToolChoiceMode.Named"/>.</summary>
    public string? ToolName { get; }

    /// <summary>A call of the tool <paramref name="toolName"/>.</summary>
    /// <param name="toolName">The tool's name.</param>
    public static LlmToolChoice Named(string toolName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(toolName);
        return new LlmToolChoice(LlmToolChoiceMode.Named, toolName);
    }
}
