using System.Text.Json;

namespace Kait.Sdk.Testing;

/// <summary>A request a fake received: method, path, every header and the body.</summary>
public sealed class RecordedRequest
{
    /// <summary>Creates a record.</summary>
    public RecordedRequest(string method, string path, IReadOnlyDictionary<string, string> headers, string body)
    {
        Method = method;
        Path = path;
        Headers = headers;
        Body = body;
    }

    /// <summary>The query string (<c>?a=b</c>), empty when none.</summary>
    public string Query { get; init; } = string.Empty;

    /// <summary>The HTTP method.</summary>
    public string Method { get; }

    /// <summary>The path (<c>/v1/chat/completions</c>).</summary>
    public string Path { get; }

    /// <summary>Every header, names case-insensitive; several values are joined with <c>, </c>.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>The body as text (empty when none).</summary>
    public string Body { get; }

    /// <summary>A header's value, or null.</summary>
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    /// <summary>The body parsed as JSON (a clone; throws when it is not JSON).</summary>
    public JsonElement Json()
    {
        using var document = JsonDocument.Parse(Body);
        return document.RootElement.Clone();
    }
}
