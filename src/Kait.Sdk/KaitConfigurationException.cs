namespace Kait.Sdk;

/// <summary>A Kait setting (an environment variable or a <c>Kait</c> configuration key) is invalid.</summary>
public sealed class KaitConfigurationException : KaitException
{
    /// <summary>Creates the exception.</summary>
    public KaitConfigurationException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public KaitConfigurationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public KaitConfigurationException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The environment variable (<c>KAIT_LITELLM_CLAUDE_MODEL</c>) or configuration key (<c>Kait:Proxy:Port</c>) at
    /// fault, when one is.</summary>
    public string? Variable { get; init; }
}
