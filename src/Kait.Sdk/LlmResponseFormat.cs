using System.Text.Json;

namespace Kait.Sdk;

/// <summary>What <see cref="LlmResponseFormat"/> asks for.</summary>
public enum LlmResponseFormatKind
{
    /// <summary>Plain text (the default).</summary>
    Text,

    /// <summary>Any JSON object (OpenAI's JSON mode).</summary>
    JsonObject,

    /// <summary>JSON valid against <see cref="LlmResponseFormat.Schema"/>.</summary>
    JsonSchema,
}

/// <summary>The reply's format (OpenAI's <c>response_format</c>; on Anthropic <c>output_config.format</c> where the model
/// supports native structured output, else a forced single tool whose <c>input_schema</c> is the schema, its input
/// returned as the text). Deserialize <see cref="LlmResult.Text"/> with System.Text.Json.</summary>
public sealed record LlmResponseFormat
{
    private LlmResponseFormat(LlmResponseFormatKind kind)
    {
        Kind = kind;
    }

    /// <summary>Plain text.</summary>
    public static LlmResponseFormat Text { get; } = new(LlmResponseFormatKind.Text);

    /// <summary>Any JSON object.</summary>
    public static LlmResponseFormat Json { get; } = new(LlmResponseFormatKind.JsonObject);

    /// <summary>Text, JSON or JSON schema.</summary>
    public LlmResponseFormatKind Kind { get; }

    /// <summary>The JSON schema (<see cref="LlmResponseFormatKind.JsonSchema"/>).</summary>
    public JsonElement? Schema { get; private init; }

    /// <summary>The schema's name (<c>[a-zA-Z0-9_-]</c>; also the forced tool's name on Anthropic).</summary>
    public string? SchemaName { get; private init; }

    /// <summary>What the schema describes; null for none.</summary>
    public string? SchemaDescription { get; private init; }

    /// <summary>OpenAI's <c>strict</c> (sent as <c>json_schema.strict</c> to OpenAI and the proxy); null leaves the
    /// default. Anthropic's native format is always enforced.</summary>
    public bool? Strict { get; private init; }

    /// <summary>JSON valid against <paramref name="schema"/>.</summary>
    /// <param name="schema">The JSON schema (an object schema).</param>
    /// <param name="schemaName">Its name; null for <c>response</c>.</param>
    /// <param name="schemaDescription">What it describes.</param>
    /// <param name="strict">OpenAI's <c>strict</c>.</param>
    public static LlmResponseFormat ForJsonSchema(JsonElement schema, string? schemaName = null, string? schemaDescription = null, bool? strict = null) =>
        new(LlmResponseFormatKind.JsonSchema)
        {
            Schema = schema,
            SchemaName = string.IsNullOrWhiteSpace(schemaName) ? "response" : schemaName,
            SchemaDescription = schemaDescription,
            Strict = strict,
        };
}
