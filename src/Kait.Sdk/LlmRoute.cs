namespace Kait.Sdk;

/// <summary>How a call reached its model.</summary>
public enum LlmRoute
{
    /// <summary>Through the LiteLLM proxy (<c>proxy</c>).</summary>
    Proxy,

    /// <summary>Straight at the provider through a direct bridge (<c>direct</c>).</summary>
    Direct,
}

/// <summary>The wire names of <see cref="LlmRoute"/>.</summary>
internal static class LlmRouteNames
{
    /// <summary><c>proxy</c> or <c>direct</c>.</summary>
    public static string ToName(this LlmRoute route) => route == LlmRoute.Proxy ? "proxy" : "direct";
}
