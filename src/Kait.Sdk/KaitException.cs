using Kait.Sdk.Errors;

namespace Kait.Sdk;

/// <summary>The base of every error Kait raises. Messages never hold a key: every message, server message and
/// <see cref="ToString"/> passes through Kait's redaction (URL user information, <c>Bearer</c> and API-key values,
/// <c>sk-</c> keys), whatever built it.</summary>
public class KaitException : Exception
{
    private readonly string? serverMessage;

    /// <summary>Creates an exception.</summary>
    public KaitException()
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    public KaitException(string message)
        : base(Redaction.Redact(message ?? string.Empty))
    {
    }

    /// <summary>Creates an exception with a message and its cause.</summary>
    public KaitException(string message, Exception? innerException)
        : base(Redaction.Redact(message ?? string.Empty), innerException)
    {
    }

    /// <summary>The HTTP status, when a server answered.</summary>
    public int? StatusCode { get; init; }

    /// <summary>The LiteLLM call id (<c>x-litellm-call-id</c>), when known.</summary>
    public string? CallId { get; init; }

    /// <summary>The server's own message, when it sent one.</summary>
    public string? ServerMessage
    {
        get => serverMessage;
        init => serverMessage = value is null ? null : Redaction.Redact(value);
    }

    /// <summary>The exception, its causes and stack, redacted (a cause's message may quote a URL with credentials).</summary>
    public override string ToString() => Redaction.Redact(base.ToString());
}
