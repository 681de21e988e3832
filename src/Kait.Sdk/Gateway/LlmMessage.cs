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
}

/// <summary>One message of a chat, in the unified shape every route translates from.</summary>
/// <param name="Role">Who speaks.</param>
/// <param name="Content">The text.</param>
public sealed record LlmMessage(LlmRole Role, string Content)
{
    /// <summary>A system message.</summary>
    public static LlmMessage System(string content) => new(LlmRole.System, content);

    /// <summary>A user message.</summary>
    public static LlmMessage User(string content) => new(LlmRole.User, content);

    /// <summary>An assistant message.</summary>
    public static LlmMessage Assistant(string content) => new(LlmRole.Assistant, content);
}
