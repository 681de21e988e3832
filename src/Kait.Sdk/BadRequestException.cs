namespace Kait.Sdk;

/// <summary>The server refused the request as malformed (400/404/422).</summary>
public class BadRequestException : KaitException
{
    /// <summary>Creates the exception.</summary>
    public BadRequestException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public BadRequestException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public BadRequestException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
