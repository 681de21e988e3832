namespace Kait.Sdk.Routing;

/// <summary>The providers Kait can call without the proxy.</summary>
internal enum DirectBridge
{
    /// <summary>Anthropic Messages.</summary>
    Anthropic,

    /// <summary>OpenAI chat completions.</summary>
    OpenAI,
}
