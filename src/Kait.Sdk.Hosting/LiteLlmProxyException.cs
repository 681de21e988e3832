namespace Kait.Sdk.Hosting;

/// <summary>The proxy could not be started, answered no health check in time, or crashed too often. The message names the log and quotes its last lines.</summary>
public sealed class LiteLlmProxyException : KaitException
{
    /// <summary>Creates the exception.</summary>
    public LiteLlmProxyException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public LiteLlmProxyException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public LiteLlmProxyException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The proxy's log file, when known.</summary>
    public string? LogFilePath { get; init; }

    /// <summary>The log's last lines when the failure happened.</summary>
    public IReadOnlyList<string> LogTail { get; init; } = [];
}
