namespace Kait.Sdk;

/// <summary>How a call reached its model.</summary>
public enum LlmRoute
{
    /// <summary>Through the LiteLLM proxy (<c>proxy</c>).</summary>
    Proxy,

    /// <summary>Straight at the provider through a direct bridge (<c>direct</c>).</summary>
    Direct,
}
