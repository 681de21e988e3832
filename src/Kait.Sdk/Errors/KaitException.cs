namespace Kait.Sdk;

/// <summary>The base of every error Kait raises. Messages never hold a key.</summary>
public class KaitException : Exception
{
    /// <summary>Creates an exception.</summary>
    public KaitException()
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    public KaitException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and its cause.</summary>
    public KaitException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The HTTP status, when a server answered.</summary>
    public int? StatusCode { get; init; }

    /// <summary>The LiteLLM call id (<c>x-litellm-call-id</c>), when known.</summary>
    public string? CallId { get; init; }

    /// <summary>The server's own message, when it sent one.</summary>
    public string? ServerMessage { get; init; }
}
