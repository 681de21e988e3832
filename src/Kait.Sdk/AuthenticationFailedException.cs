namespace Kait.Sdk;

/// <summary>The key was missing, wrong or expired (401/403): the proxy's master or virtual key, or a provider key.</summary>
public sealed class AuthenticationFailedException : KaitException
{
    /// <summary>Creates the exception.</summary>
    public AuthenticationFailedException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public AuthenticationFailedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public AuthenticationFailedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
