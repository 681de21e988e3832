namespace Kait.Sdk;

/// <summary>The alias names of Kait's default config (<c>config/litellm_config.yaml</c>), as plain constants.
/// Your own project gets typed members in its generated <c>Models</c> class.</summary>
public static class DefaultAliases
{
    /// <summary><c>claude-default</c> → <c>anthropic/claude-sonnet-4-20250514</c>; the default of <c>KAIT_LITELLM_CLAUDE_MODEL</c>.</summary>
    public const string ClaudeDefault = "claude-default";

    /// <summary><c>claude-fast</c> → <c>anthropic/claude-haiku-4-5-20251001</c>.</summary>
    public const string ClaudeFast = "claude-fast";

    /// <summary><c>claude-strong</c> → <c>anthropic/claude-opus-4-6</c>.</summary>
    public const string ClaudeStrong = "claude-strong";

    /// <summary><c>openai-default</c> → <c>openai/gpt-4o</c>; the default of <c>KAIT_LITELLM_OPENAI_MODEL</c>.</summary>
    public const string OpenaiDefault = "openai-default";

    /// <summary><c>openai-fast</c> → <c>openai/gpt-4o-mini</c>.</summary>
    public const string OpenaiFast = "openai-fast";

    /// <summary><c>gemini-default</c> → <c>gemini/gemini-2.0-flash</c>.</summary>
    public const string GeminiDefault = "gemini-default";
}
