namespace Kait.Sdk;

/// <summary>The proxy or provider could not serve the call (5xx, 529 overloaded, or unreachable).</summary>
public sealed class ProviderUnavailableException : KaitException
{
    /// <summary>Creates the exception.</summary>
    public ProviderUnavailableException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ProviderUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public ProviderUnavailableException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>True when no response came at all (connection refused or timed out), as opposed to a 5xx answer.</summary>
    public bool Unreachable { get; init; }
}
