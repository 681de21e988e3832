using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Kait.Sdk;

/// <summary>Microsoft.Extensions.AI's chat shapes to and from Kait's: messages with text, image, function-call and
/// function-result contents; <see cref="ChatOptions"/> with tools, tool mode, response format and sampling.</summary>
internal static class KaitChatMapper
{
    public static List<LlmMessage> ToMessages(IEnumerable<ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var result = new List<LlmMessage>();
        foreach (var m in messages)
        {
            var results = m.Contents.OfType<FunctionResultContent>().ToArray();
            if (m.Role == ChatRole.Tool || results.Length > 0)
            {
                result.AddRange(results.Select(r => LlmMessage.ToolResult(r.CallId, ResultText(r.Result)) with { IsToolError = r.Exception is not null }));
                continue;
            }

            if (m.Role == ChatRole.System)
            {
                result.Add(LlmMessage.System(m.Text));
            }
            else if (m.Role == ChatRole.Assistant)
            {
                var calls = m.Contents.OfType<FunctionCallContent>()
                    .Select(c => new LlmToolCall(c.CallId, c.Name, ArgumentsJson(c.Arguments)))
                    .ToArray();
                result.Add(calls.Length > 0 ? LlmMessage.AssistantToolCalls(calls, m.Text) : LlmMessage.Assistant(m.Text));
            }
            else
            {
                result.Add(UserMessage(m));
            }
        }

        return result;
    }

    public static LlmCallOptions ToOptions(ChatOptions? options) => options is null
        ? LlmCallOptions.None
        : new LlmCallOptions
        {
            Temperature = options.Temperature,
            TopP = options.TopP,
            MaxTokens = options.MaxOutputTokens,
            Stop = options.StopSequences is { Count: > 0 } stop ? stop.ToArray() : null,
            Seed = options.Seed,
            Tools = options.Tools?.OfType<AIFunctionDeclaration>().Select(f => new LlmTool(f.Name, NullIfEmpty(f.Description), f.JsonSchema)).ToArray() is { Length: > 0 } tools ? tools : null,
            ToolChoice = options.ToolMode switch
            {
                null => null,
                NoneChatToolMode => LlmToolChoice.None,
                RequiredChatToolMode { RequiredFunctionName: { } name } => LlmToolChoice.Named(name),
                RequiredChatToolMode => LlmToolChoice.Required,
                _ => LlmToolChoice.Auto,
            },
            ParallelToolCalls = options.AllowMultipleToolCalls,
            ResponseFormat = options.ResponseFormat switch
            {
                ChatResponseFormatJson { Schema: { } schema } json => LlmResponseFormat.ForJsonSchema(schema, json.SchemaName, json.SchemaDescription),
                ChatResponseFormatJson => LlmResponseFormat.Json,
                ChatResponseFormatText => LlmResponseFormat.Text,
                _ => null,
            },
        };

    /// <summary>The result's text and tool calls as contents.</summary>
    public static List<AIContent> ToContents(LlmResult result)
    {
        var contents = new List<AIContent>();
        if (result.Text.Length > 0)
        {
            contents.Add(new TextContent(result.Text));
        }

        contents.AddRange(result.ToolCalls.Select(ToFunctionCall));
        return contents;
    }

    public static FunctionCallContent ToFunctionCall(LlmToolCall call)
    {
        Dictionary<string, object?>? arguments = null;
        Exception? failure = null;
        try
        {
            using var document = JsonDocument.Parse(string.IsNullOrWhiteSpace(call.ArgumentsJson) ? "{}" : call.ArgumentsJson);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                arguments = document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone(), StringComparer.Ordinal);
            }
        }
        catch (JsonException ex)
        {
            failure = ex;
        }

        return new FunctionCallContent(call.Id, call.Name, arguments) { Exception = failure, RawRepresentation = call };
    }

    private static LlmMessage UserMessage(ChatMessage m)
    {
        var parts = new List<LlmContentPart>();
        var hasImage = false;
        foreach (var content in m.Contents)
        {
            switch (content)
            {
                case TextContent text:
                    parts.Add(LlmContentPart.FromText(text.Text));
                    break;
                case DataContent data when data.HasTopLevelMediaType("image"):
                    parts.Add(LlmContentPart.FromImageBase64(data.Base64Data.ToString(), data.MediaType));
                    hasImage = true;
                    break;
                case UriContent uri when uri.HasTopLevelMediaType("image"):
                    parts.Add(LlmContentPart.FromImageUrl(uri.Uri));
                    hasImage = true;
                    break;
            }
        }

        return hasImage ? LlmMessage.User(parts) : LlmMessage.User(m.Text);
    }

    private static string ArgumentsJson(IDictionary<string, object?>? arguments) => arguments is null
        ? "{}"
        : JsonSerializer.Serialize(arguments, AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(IDictionary<string, object?>)));

    private static string ResultText(object? result) => result switch
    {
        null => string.Empty,
        string text => text,
        JsonElement { ValueKind: JsonValueKind.String } element => element.GetString() ?? string.Empty,
        JsonElement element => element.GetRawText(),
        _ => JsonSerializer.Serialize(result, AIJsonUtilities.DefaultOptions.GetTypeInfo(result.GetType())),
    };

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
