namespace Kait.Sdk;

/// <summary>A stream broke after part of the reply had reached the caller (a cut connection, a stream that ended
/// without its end marker, or a malformed chunk). It is never retried: the caller already has
/// <see cref="ReceivedText"/>.</summary>
public sealed class StreamInterruptedException : KaitException
{
    /// <summary>Creates the exception.</summary>
    public StreamInterruptedException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public StreamInterruptedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public StreamInterruptedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The text received before the stream broke.</summary>
    public string ReceivedText { get; init; } = string.Empty;

    /// <summary>How many text chunks were received before the stream broke.</summary>
    public int ReceivedChunks { get; init; }
}
