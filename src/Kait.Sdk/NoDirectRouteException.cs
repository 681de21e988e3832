namespace Kait.Sdk;

/// <summary>No direct bridge can serve the alias (its provider is neither Anthropic nor OpenAI) and the proxy is not in use.</summary>
public sealed class NoDirectRouteException : KaitException
{
    /// <summary>Creates the exception.</summary>
    public NoDirectRouteException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public NoDirectRouteException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public NoDirectRouteException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The provider that has no direct bridge, when known.</summary>
    public string? Provider { get; init; }
}
