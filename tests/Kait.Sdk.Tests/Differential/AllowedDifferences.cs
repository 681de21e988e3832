using System.Text.Json.Nodes;

namespace Kait.Sdk.Tests.Differential;

/// <summary>A difference between Kait's request and the official SDK's that is allowed, and why. A rule edits the two
/// captures so that the difference it allows disappears, and says whether it found that difference: a case lists the
/// rules it needs, and a listed rule that finds nothing fails the case (no stale rule hides a future difference).</summary>
/// <param name="Name">The rule's name, as cases list it.</param>
/// <param name="Reason">Why the difference is harmless (or intended).</param>
/// <param name="Apply">Edits (Kait, SDK); true when the difference was there.</param>
internal sealed record AllowedDifference(string Name, string Reason, Func<WireCapture, WireCapture, bool> Apply)
{
    public override string ToString() => Name;
}

/// <summary>Every allowed difference, with its reason.</summary>
internal static class AllowedDifferences
{
    public static readonly AllowedDifference ContentTypeCharset = new(
        nameof(ContentTypeCharset),
        "Kait labels its body 'application/json; charset=utf-8', the SDK 'application/json'. JSON is UTF-8 (RFC 8259 §8.1) and "
        + "both bodies are UTF-8; the charset parameter changes nothing a server reads.",
        static (kait, sdk) =>
        {
            if (kait.Headers["content-type"] == "application/json;charset=utf-8" && sdk.Headers["content-type"] == "application/json")
            {
                kait.Headers["content-type"] = "application/json";
                return true;
            }

            return false;
        });

    public static readonly AllowedDifference AnthropicKeyHeader = new(
        nameof(AnthropicKeyHeader),
        "The Anthropic SDK 13 sends the key as 'Authorization: Bearer', Kait as 'x-api-key'. Anthropic takes either (when both are "
        + "sent it uses x-api-key); x-api-key works on every API version and with the gateways that read it. Same key, same host; "
        + "both names are in Kait's credential-header list (redacted in logs, refused in ExtraHeaders).",
        static (kait, sdk) =>
        {
            var key = kait.Headers["credential"].StartsWith("x-api-key: ", StringComparison.Ordinal) ? kait.Headers["credential"]["x-api-key: ".Length..] : null;
            if (key is not null && sdk.Headers["credential"] == "authorization: Bearer " + key)
            {
                sdk.Headers["credential"] = kait.Headers["credential"];
                return true;
            }

            return false;
        });

    public static readonly AllowedDifference ProxyMaxTokens = new(
        nameof(ProxyMaxTokens),
        "To the LiteLLM proxy Kait sends 'max_tokens', the OpenAI SDK 'max_completion_tokens'. max_tokens is LiteLLM's input for "
        + "every provider; LiteLLM maps it to each provider's own field (max_completion_tokens for OpenAI's reasoning models, "
        + "max_tokens for Anthropic). The OpenAI bridge sends max_completion_tokens, as the SDK does.",
        static (kait, sdk) => Rename(kait.Object, "max_tokens", "max_completion_tokens", sdk.Object));

    public static readonly AllowedDifference EmbeddingsEncodingFormat = new(
        nameof(EmbeddingsEncodingFormat),
        "The OpenAI SDK asks for embeddings as base64 ('encoding_format':'base64', smaller on the wire) and decodes them; Kait "
        + "asks for the default, floats. Same vectors.",
        static (kait, sdk) =>
        {
            if (kait.Object?["encoding_format"] is null && sdk.Object?["encoding_format"]?.GetValue<string>() == "base64")
            {
                sdk.Object!.Remove("encoding_format");
                return true;
            }

            return false;
        });

    /// <summary>Renames <paramref name="from"/> to <paramref name="to"/> in <paramref name="kait"/> when the SDK has
    /// <paramref name="to"/> with the same value.</summary>
    private static bool Rename(JsonObject? kait, string from, string to, JsonObject? sdk)
    {
        if (kait?[from] is { } value && sdk?[to] is { } expected && JsonNode.DeepEquals(value, expected) && kait[to] is null)
        {
            kait.Remove(from);
            kait[to] = value.DeepClone();
            return true;
        }

        return false;
    }
}
