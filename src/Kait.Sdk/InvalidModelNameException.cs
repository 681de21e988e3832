namespace Kait.Sdk;

/// <summary>The LiteLLM proxy does not serve the model asked for (its 400 "Invalid model name passed in model=...").</summary>
public sealed class InvalidModelNameException : BadRequestException
{
    /// <summary>Creates the exception.</summary>
    public InvalidModelNameException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public InvalidModelNameException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public InvalidModelNameException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
