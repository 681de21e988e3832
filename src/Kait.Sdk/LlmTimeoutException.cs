namespace Kait.Sdk;

/// <summary>The call did not finish in time (the per-call timeout, or a 408/504 from the server).</summary>
public sealed class LlmTimeoutException : KaitException
{
    /// <summary>Creates the exception.</summary>
    public LlmTimeoutException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public LlmTimeoutException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public LlmTimeoutException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
