using System.Text.Json;
using System.Text.Json.Nodes;
using Kait.Sdk.Transport.Dtos;

namespace Kait.Sdk.Translation;

/// <summary>Anthropic's messages (text, <c>image</c> blocks, <c>tool_use</c>, <c>tool_result</c>), <c>tools</c> and
/// <c>tool_choice</c> from the unified shape. Structured output is done the way Anthropic documents it: a single tool
/// whose <c>input_schema</c> is the schema, forced with <c>tool_choice: {type: "tool", name}</c>; its input is the reply.</summary>
internal static class AnthropicRequestShapes
{
    /// <summary>The forced tool's name under JSON mode (no schema).</summary>
    public const string JsonModeToolName = "json_response";

    /// <summary>The name of the tool that carries structured output, or null when no JSON is asked for.</summary>
    public static string? StructuredToolName(LlmCallOptions options) => options.ResponseFormat switch
    {
        { Kind: LlmResponseFormatKind.JsonSchema } format => format.SchemaName ?? "response",
        { Kind: LlmResponseFormatKind.JsonObject } => JsonModeToolName,
        _ => null,
    };

    public static AnthropicMessage[] Messages(IReadOnlyList<LlmMessage> messages)
    {
        var result = new List<AnthropicMessage>();
        JsonArray? toolResults = null;
        foreach (var m in messages.Where(m => m.Role != LlmRole.System))
        {
            if (m.Role == LlmRole.Tool)
            {
                // Results of parallel calls go back together, in one user message.
                if (toolResults is null)
                {
                    toolResults = [];
                    result.Add(new AnthropicMessage { Role = "user", Content = toolResults });
                }

                var block = new JsonObject
                {
                    ["type"] = "tool_result",
                    ["tool_use_id"] = m.ToolCallId,
                    ["content"] = m.Content,
                };
                if (m.IsToolError)
                {
                    block["is_error"] = true;
                }

                if (m.CacheBreakpoint)
                {
                    block["cache_control"] = PromptCacheShapes.Ephemeral();
                }

                toolResults.Add((JsonNode)block);
                continue;
            }

            toolResults = null;
            var content = m.Role == LlmRole.Assistant ? AssistantContent(m) : UserContent(m);
            result.Add(new AnthropicMessage
            {
                Role = m.Role == LlmRole.Assistant ? "assistant" : "user",
                Content = m.CacheBreakpoint ? PromptCacheShapes.Mark(content)! : content,
            });
        }

        return [.. result];
    }

    public static IReadOnlyList<AnthropicTool>? Tools(LlmCallOptions options)
    {
        var tools = (options.Tools ?? [])
            .Select(t => new AnthropicTool { Name = t.Name, Description = t.Description, InputSchema = t.ParametersSchema })
            .ToList();
        if (StructuredToolName(options) is { } name)
        {
            tools.Add(new AnthropicTool
            {
                Name = name,
                Description = options.ResponseFormat?.SchemaDescription ?? "Respond with this tool: its input is the answer, as JSON.",
                InputSchema = options.ResponseFormat?.Schema ?? ObjectSchema(),
            });
        }

        if (tools.Count > 0 && options.PromptCaching?.Tools == true)
        {
            tools[^1].CacheControl = PromptCacheShapes.Ephemeral();
        }

        return tools.Count > 0 ? tools : null;
    }

    public static JsonNode? ToolChoice(LlmCallOptions options)
    {
        if (StructuredToolName(options) is { } forced)
        {
            return new JsonObject { ["type"] = "tool", ["name"] = forced };
        }

        if (options.Tools is not { Count: > 0 } || (options.ToolChoice is null && options.ParallelToolCalls is null))
        {
            return null;
        }

        var choice = options.ToolChoice ?? LlmToolChoice.Auto;
        var node = choice.Mode switch
        {
            LlmToolChoiceMode.None => new JsonObject { ["type"] = "none" },
            LlmToolChoiceMode.Required => new JsonObject { ["type"] = "any" },
            LlmToolChoiceMode.Named => new JsonObject { ["type"] = "tool", ["name"] = choice.ToolName },
            _ => new JsonObject { ["type"] = "auto" },
        };
        if (choice.Mode != LlmToolChoiceMode.None && options.ParallelToolCalls is { } parallel)
        {
            node["disable_parallel_tool_use"] = !parallel;
        }

        return node;
    }

    private static JsonElement ObjectSchema()
    {
        using var document = JsonDocument.Parse("""{"type":"object"}""");
        return document.RootElement.Clone();
    }

    private static JsonNode AssistantContent(LlmMessage m)
    {
        if (m.ToolCalls is not { Count: > 0 } && m.ReasoningBlocks is not { Count: > 0 })
        {
            return JsonValue.Create(m.Content);
        }

        // Thinking blocks go back first, unchanged (signed), as Anthropic requires with tool use.
        var blocks = new JsonArray(ReasoningShapes.AnthropicBlocks(m).ToArray());
        if (!string.IsNullOrEmpty(m.Content))
        {
            blocks.Add((JsonNode)new JsonObject { ["type"] = "text", ["text"] = m.Content });
        }

        foreach (var call in m.ToolCalls ?? [])
        {
            blocks.Add((JsonNode)new JsonObject
            {
                ["type"] = "tool_use",
                ["id"] = call.Id,
                ["name"] = call.Name,
                ["input"] = ToolInput(call),
            });
        }

        return blocks;
    }

    /// <summary>A call's arguments as the <c>input</c> object Anthropic requires.</summary>
    private static JsonNode ToolInput(LlmToolCall call)
    {
        if (string.IsNullOrWhiteSpace(call.ArgumentsJson))
        {
            return new JsonObject();
        }

        try
        {
            return JsonNode.Parse(call.ArgumentsJson) as JsonObject
                ?? throw new ArgumentException($"The arguments of tool call '{call.Id}' ({call.Name}) are not a JSON object.", nameof(call));
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"The arguments of tool call '{call.Id}' ({call.Name}) are not valid JSON: {ex.Message}", nameof(call), ex);
        }
    }

    private static JsonNode UserContent(LlmMessage m)
    {
        if (m.Parts is not { Count: > 0 } parts)
        {
            return JsonValue.Create(m.Content);
        }

        var blocks = new JsonArray();
        foreach (var part in parts)
        {
            blocks.Add((JsonNode)(part.Kind == LlmContentPartKind.Text
                ? new JsonObject { ["type"] = "text", ["text"] = part.Text }
                : new JsonObject { ["type"] = "image", ["source"] = ImageSource(part) }));
        }

        return blocks;
    }

    private static JsonObject ImageSource(LlmContentPart part)
    {
        var (mediaType, data) = part.Base64Data is { } base64 ? (part.MediaType, base64) : SplitDataUri(part.ImageUrl);
        return data is not null
            ? new JsonObject { ["type"] = "base64", ["media_type"] = mediaType, ["data"] = data }
            : new JsonObject { ["type"] = "url", ["url"] = part.ImageUrl?.OriginalString };
    }

    /// <summary>A <c>data:image/png;base64,...</c> URL as media type and data; nulls for any other URL.</summary>
    private static (string? MediaType, string? Data) SplitDataUri(Uri? url)
    {
        var text = url?.OriginalString;
        const string Marker = ";base64,";
        if (text is null || !text.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            return (null, null);
        }

        var at = text.IndexOf(Marker, StringComparison.OrdinalIgnoreCase);
        return at < 0 ? (null, null) : (text[5..at], text[(at + Marker.Length)..]);
    }
}
