using System.Text.Json;
using System.Text.Json.Nodes;
using Kait.Sdk.Transport.Dtos;

namespace Kait.Sdk.Translation;

/// <summary>The OpenAI wire's messages (text, parts, tool calls, tool results), tools, <c>tool_choice</c> and
/// <c>response_format</c>, from the unified shape.</summary>
internal static class OpenAIRequestShapes
{
    public static OpenAIRequestMessage[] Messages(IReadOnlyList<LlmMessage> messages)
    {
        var shaped = new OpenAIRequestMessage[messages.Count];
        for (var i = 0; i < shaped.Length; i++)
        {
            shaped[i] = Message(messages[i]);
        }

        return shaped;
    }

    public static IReadOnlyList<OpenAITool>? Tools(LlmCallOptions options) => options.Tools is { Count: > 0 } tools
        ? tools.Select(t => new OpenAITool
        {
            Function = new OpenAIFunctionDefinition { Name = t.Name, Description = t.Description, Parameters = t.ParametersSchema },
        }).ToArray()
        : null;

    public static JsonNode? ToolChoice(LlmCallOptions options) => options.Tools is { Count: > 0 } && options.ToolChoice is { } choice
        ? choice.Mode switch
        {
            LlmToolChoiceMode.None => JsonValue.Create("none"),
            LlmToolChoiceMode.Required => JsonValue.Create("required"),
            LlmToolChoiceMode.Named => new JsonObject
            {
                ["type"] = "function",
                ["function"] = new JsonObject { ["name"] = choice.ToolName },
            },
            _ => JsonValue.Create("auto"),
        }
        : null;

    public static bool? ParallelToolCalls(LlmCallOptions options) => options.Tools is { Count: > 0 } ? options.ParallelToolCalls : null;

    public static JsonNode? ResponseFormat(LlmCallOptions options) => options.ResponseFormat switch
    {
        null => null,
        { Kind: LlmResponseFormatKind.JsonObject } => new JsonObject { ["type"] = "json_object" },
        { Kind: LlmResponseFormatKind.JsonSchema, Schema: { } schema } format => new JsonObject
        {
            ["type"] = "json_schema",
            ["json_schema"] = JsonSchemaObject(format, schema),
        },
        _ => new JsonObject { ["type"] = "text" },
    };

    private static JsonObject JsonSchemaObject(LlmResponseFormat format, JsonElement schema)
    {
        var body = new JsonObject { ["name"] = format.SchemaName };
        if (format.SchemaDescription is { } description)
        {
            body["description"] = description;
        }

        body["schema"] = JsonNode.Parse(schema.GetRawText());
        if (format.Strict is { } strict)
        {
            body["strict"] = strict;
        }

        return body;
    }

    private static OpenAIRequestMessage Message(LlmMessage m) => m.Role switch
    {
        LlmRole.Tool => new OpenAIRequestMessage { Role = "tool", Content = JsonValue.Create(m.Content), ToolCallId = m.ToolCallId },
        LlmRole.Assistant when m.ToolCalls is { Count: > 0 } calls => new OpenAIRequestMessage
        {
            Role = "assistant",
            Content = string.IsNullOrEmpty(m.Content) ? null : JsonValue.Create(m.Content),
            ToolCalls = calls.Select(c => new OpenAIToolCall
            {
                Id = c.Id,
                Type = "function",
                Function = new OpenAIFunctionCall { Name = c.Name, Arguments = c.ArgumentsJson },
            }).ToArray(),
        },
        _ => new OpenAIRequestMessage { Role = RoleName(m.Role), Content = Content(m) },
    };

    private static JsonNode Content(LlmMessage m)
    {
        if (m.Parts is not { Count: > 0 } parts)
        {
            return JsonValue.Create(m.Content);
        }

        var array = new JsonArray();
        foreach (var part in parts)
        {
            array.Add((JsonNode)(part.Kind == LlmContentPartKind.Text
                ? new JsonObject { ["type"] = "text", ["text"] = part.Text }
                : new JsonObject { ["type"] = "image_url", ["image_url"] = new JsonObject { ["url"] = part.ImageUrlOrDataUri } }));
        }

        return array;
    }

    private static string RoleName(LlmRole role) => role switch
    {
        LlmRole.System => "system",
        LlmRole.Assistant => "assistant",
        LlmRole.Tool => "tool",
        _ => "user",
    };
}
