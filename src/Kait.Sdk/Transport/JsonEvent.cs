using System.Text.Json;

namespace Kait.Sdk.Transport;

/// <summary>What one SSE payload held.</summary>
internal enum JsonEventKind
{
    /// <summary>Nothing but white space.</summary>
    Blank,

    /// <summary><c>[DONE]</c>: the stream's end.</summary>
    Done,

    /// <summary>A JSON value (or JSON that failed to parse).</summary>
    Value,
}

/// <summary>One parsed SSE payload; a parse failure is kept until <see cref="Get"/>, where the response is known.</summary>
internal readonly record struct JsonEvent<T>(T? Value, JsonEventKind Kind, JsonException? Error)
{
    /// <summary>The value, or the error a malformed or null payload is.</summary>
    public T Get(string origin, HttpResponseMessage response) =>
        Error is null && Value is not null ? Value : throw HttpExchange.Malformed(origin, response, Error);
}
