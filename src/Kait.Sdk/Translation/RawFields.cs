using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kait.Sdk.Translation;

/// <summary>
/// <see cref="LlmCallOptions.ExtraBody"/>: raw fields merged last into a request's body (chat or embeddings), so a field
/// named there replaces Kait's own. The fields Kait must decide are refused: <c>model</c> (the alias's deployment),
/// <c>messages</c> and <c>input</c> (what the budget estimate, the ledger and the translation saw), <c>stream</c> and
/// <c>stream_options</c> (how the answer is read, and the usage chunk pricing needs); and <c>metadata</c> when it holds
/// the spend tags (<see cref="LlmCallOptions.Tags"/>), which the ledger books.
/// </summary>
internal static class RawFields
{
    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal) { "model", "messages", "input", "stream", "stream_options" };

    /// <summary>The body with the extra fields merged in; the same bytes when there are none.</summary>
    public static byte[] Merge(byte[] body, IReadOnlyDictionary<string, JsonElement>? extra)
    {
        if (extra is not { Count: > 0 })
        {
            return body;
        }

        var root = JsonNode.Parse(body) as JsonObject ?? throw new InvalidOperationException("A request body is not a JSON object.");
        foreach (var (name, value) in extra.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (string.IsNullOrEmpty(name) || Reserved.Contains(name))
            {
                throw new ArgumentException(
                    $"LlmCallOptions.ExtraBody may not set '{name}': model, messages, input, stream and stream_options are Kait's to decide.", nameof(extra));
            }

            if (name == "metadata" && root["metadata"] is JsonObject own && own.ContainsKey("tags"))
            {
                // The proxy's spend tags would be gone while Kait's ledger books them.
                throw new ArgumentException(
                    "LlmCallOptions.ExtraBody may not set 'metadata' when LlmCallOptions.Tags are sent in it: put its fields in LlmCallOptions.Metadata.", nameof(extra));
            }

            try
            {
                root[name] = value.ValueKind == JsonValueKind.Undefined ? null : JsonNode.Parse(value.GetRawText());
            }
            catch (JsonException ex)
            {
                // Deeper than System.Text.Json's 64 levels: no server reads that either.
                throw new ArgumentException($"LlmCallOptions.ExtraBody['{name}'] cannot be sent: {ex.Message}", nameof(extra), ex);
            }
        }

        var buffer = new System.Buffers.ArrayBufferWriter<byte>(body.Length + 256);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = Transport.KaitJsonContext.Default.Options.Encoder }))
        {
            root.WriteTo(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
