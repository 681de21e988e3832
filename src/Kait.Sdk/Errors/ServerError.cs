using System.Text.Json;

namespace Kait.Sdk.Errors;

/// <summary>An error body, read leniently: LiteLLM's <c>{"error":{"message","type","param","code"}}</c> with its
/// variants (<c>code</c> a string or a number, <c>type</c>/<c>param</c> the string "None", the error or its message a
/// string that itself holds JSON), Anthropic's <c>{"type":"error","error":{...}}</c>, FastAPI's <c>{"detail":...}</c>,
/// or plain text. Texts are kept whole: the caller redacts, then cuts (<see cref="Redaction.RedactAndTruncate"/>), so
/// that a key straddling the cut is still recognised.</summary>
internal sealed record ServerError(string? Message, string? Type, string? Param, string? Code)
{
    private const int MaxDepth = 4;

    /// <summary>The most characters of a server's message kept in an exception (after redaction).</summary>
    public const int MaxMessageLength = 2000;

    public static ServerError Parse(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return new ServerError(null, null, null, null);
        }

        return TryParseJson(body, 0) ?? new ServerError(body.Trim(), null, null, null);
    }

    private static ServerError? TryParseJson(string text, int depth)
    {
        var trimmed = text.Trim();
        if (depth > MaxDepth || trimmed.Length == 0 || (trimmed[0] != '{' && trimmed[0] != '"'))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(trimmed);
            return FromElement(document.RootElement, depth);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static ServerError? FromElement(JsonElement element, int depth)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                var s = element.GetString() ?? string.Empty;
                return TryParseJson(s, depth + 1) ?? new ServerError(s, null, null, null);
            case JsonValueKind.Object:
                foreach (var name in (ReadOnlySpan<string>)["error", "detail"])
                {
                    if (element.TryGetProperty(name, out var inner) && inner.ValueKind is JsonValueKind.Object or JsonValueKind.String)
                    {
                        var nested = FromElement(inner, depth + 1);
                        if (nested is not null)
                        {
                            return nested with { Type = nested.Type ?? Text(element, "type") };
                        }
                    }
                }

                if (!element.TryGetProperty("message", out var message))
                {
                    return null;
                }

                var messageText = message.ValueKind == JsonValueKind.String ? message.GetString() : message.GetRawText();
                var unwrapped = messageText is null ? null : TryParseJson(messageText, depth + 1);
                return new ServerError(
                    unwrapped?.Message ?? messageText,
                    Text(element, "type") ?? unwrapped?.Type,
                    Text(element, "param"),
                    Text(element, "code") ?? unwrapped?.Code);
            default:
                return null;
        }
    }

    private static string? Text(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value))
        {
            return null;
        }

        var text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        };
        return string.IsNullOrWhiteSpace(text) || text == "None" ? null : text;
    }
}
