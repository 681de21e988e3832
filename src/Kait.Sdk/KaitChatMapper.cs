using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Kait.Sdk;

/// <summary>Microsoft.Extensions.AI's chat shapes to and from Kait's: messages with text, image, function-call and
/// function-result contents; <see cref="ChatOptions"/> with tools, tool mode, response format and sampling.</summary>
internal static class KaitChatMapper
{
    /// <summary>The <see cref="ChatOptions.AdditionalProperties"/> key of a schema's strictness (the one
    /// Microsoft.Extensions.AI.OpenAI reads).</summary>
    internal const string StrictKey = "strict";

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
                var reasoning = m.Contents.OfType<TextReasoningContent>().Select(ToReasoningBlock).Where(b => b is not null).Select(b => b!).ToArray();
                var message = calls.Length > 0 ? LlmMessage.AssistantToolCalls(calls, m.Text) : LlmMessage.Assistant(m.Text);
                result.Add(reasoning.Length > 0 ? message with { ReasoningBlocks = reasoning } : message);
            }
            else
            {
                result.Add(UserMessage(m));
            }
        }

        return result;
    }

    /// <summary>Kait's options for <paramref name="options"/>: those <see cref="ChatOptions.RawRepresentationFactory"/>
    /// returns (an <see cref="LlmCallOptions"/>) win, and each standard option fills in what they leave unset;
    /// <see cref="ChatOptions.AdditionalProperties"/> become raw body fields (<see cref="LlmCallOptions.ExtraBody"/>)
    /// unless the raw options name the same field.</summary>
    public static LlmCallOptions ToOptions(ChatOptions? options, IChatClient? client = null)
    {
        if (options is null)
        {
            return LlmCallOptions.None;
        }

        if (!string.IsNullOrEmpty(options.ConversationId))
        {
            throw new NotSupportedException("ChatOptions.ConversationId is not supported: Kait keeps no conversation state on the server. Send the whole history in the messages.");
        }

        if (options.ContinuationToken is not null)
        {
            throw new NotSupportedException("ChatOptions.ContinuationToken is not supported: Kait has no background responses.");
        }

        var raw = options.RawRepresentationFactory?.Invoke(client!) switch
        {
            null => LlmCallOptions.None,
            LlmCallOptions kait => kait,
            var other => throw new ArgumentException($"ChatOptions.RawRepresentationFactory returned a {other.GetType().Name}: Kait takes an LlmCallOptions.", nameof(options)),
        };
        return raw with
        {
            Temperature = raw.Temperature ?? options.Temperature,
            TopP = raw.TopP ?? options.TopP,
            MaxTokens = raw.MaxTokens ?? options.MaxOutputTokens,
            Stop = raw.Stop ?? (options.StopSequences is { Count: > 0 } stop ? stop.ToArray() : null),
            Seed = raw.Seed ?? options.Seed,
            Tools = raw.Tools ?? (options.Tools?.OfType<AIFunctionDeclaration>().Select(f => new LlmTool(f.Name, NullIfEmpty(f.Description), f.JsonSchema)).ToArray() is { Length: > 0 } tools ? tools : null),
            ToolChoice = raw.ToolChoice ?? options.ToolMode switch
            {
                null => null,
                NoneChatToolMode => LlmToolChoice.None,
                RequiredChatToolMode { RequiredFunctionName: { } name } => LlmToolChoice.Named(name),
                RequiredChatToolMode => LlmToolChoice.Required,
                _ => LlmToolChoice.Auto,
            },
            ParallelToolCalls = raw.ParallelToolCalls ?? options.AllowMultipleToolCalls,
            ResponseFormat = raw.ResponseFormat ?? options.ResponseFormat switch
            {
                ChatResponseFormatJson { Schema: { } schema } json => LlmResponseFormat.ForJsonSchema(schema, json.SchemaName, json.SchemaDescription, Strict(options)),
                ChatResponseFormatJson => LlmResponseFormat.Json,
                ChatResponseFormatText => LlmResponseFormat.Text,
                _ => null,
            },
            Reasoning = raw.Reasoning ?? (options.Reasoning?.Effort is { } effort ? new LlmReasoning(ToEffort(effort)) : null),
            ExtraBody = ExtraBody(raw, options),
        };
    }

    /// <summary><see cref="ChatOptions.Instructions"/> as a system message before the others (M.E.AI's meaning: more
    /// instructions for this call).</summary>
    public static List<LlmMessage> WithInstructions(List<LlmMessage> messages, ChatOptions? options)
    {
        if (options?.Instructions is { Length: > 0 } instructions)
        {
            messages.Insert(0, LlmMessage.System(instructions));
        }

        return messages;
    }

    private static LlmReasoningEffort ToEffort(ReasoningEffort effort) => effort switch
    {
        ReasoningEffort.None => LlmReasoningEffort.None,
        ReasoningEffort.Low => LlmReasoningEffort.Low,
        ReasoningEffort.Medium => LlmReasoningEffort.Medium,
        ReasoningEffort.High => LlmReasoningEffort.High,
        _ => LlmReasoningEffort.ExtraHigh,
    };

    /// <summary>The raw fields: the raw options' own, then <c>top_k</c>, <c>frequency_penalty</c> and
    /// <c>presence_penalty</c> (which Kait sends as given: not every provider takes them), then the additional
    /// properties but <see cref="StrictKey"/> (the schema's strictness, never a body field, as in M.E.AI's OpenAI
    /// adapter: OpenAI refuses a top-level <c>strict</c>), the first named winning.</summary>
    private static Dictionary<string, JsonElement>? ExtraBody(LlmCallOptions raw, ChatOptions options)
    {
        var fields = raw.ExtraBody is null ? new Dictionary<string, JsonElement>(StringComparer.Ordinal) : new Dictionary<string, JsonElement>(raw.ExtraBody, StringComparer.Ordinal);
        void Add(string name, object? value)
        {
            if (value is not null && !fields.ContainsKey(name))
            {
                fields[name] = JsonSerializer.SerializeToElement(value, AIJsonUtilities.DefaultOptions.GetTypeInfo(value.GetType()));
            }
        }

        Add("top_k", options.TopK);
        Add("frequency_penalty", options.FrequencyPenalty);
        Add("presence_penalty", options.PresencePenalty);
        foreach (var (name, value) in options.AdditionalProperties ?? [])
        {
            if (name != StrictKey)
            {
                Add(name, value);
            }
        }

        return fields.Count > 0 ? fields : null;
    }

    /// <summary>The result's text and tool calls as contents.</summary>
    public static List<AIContent> ToContents(LlmResult result)
    {
        var contents = new List<AIContent>(result.ReasoningBlocks.Select(ToReasoningContent));
        if (contents.Count == 0 && result.Reasoning is { Length: > 0 } reasoning)
        {
            contents.Add(new TextReasoningContent(reasoning));
        }

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

    /// <summary>A reasoning block as M.E.AI content: the text, the signature (or a redacted block's data) as
    /// <see cref="TextReasoningContent.ProtectedData"/>, the block as raw representation.</summary>
    public static TextReasoningContent ToReasoningContent(LlmReasoningBlock block) =>
        new(block.Text) { ProtectedData = block.RedactedData ?? block.Signature, RawRepresentation = block };

    /// <summary>Reasoning content back as a block: its raw block, else text and signature (no text but protected data: a
    /// redacted block); null for empty content.</summary>
    private static LlmReasoningBlock? ToReasoningBlock(TextReasoningContent content) => content switch
    {
        { RawRepresentation: LlmReasoningBlock block } => block,
        { Text.Length: 0, ProtectedData: { Length: > 0 } data } => new LlmReasoningBlock(string.Empty) { RedactedData = data },
        { Text.Length: > 0 } => new LlmReasoningBlock(content.Text, content.ProtectedData),
        _ => null,
    };

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

    /// <summary>The schema's strictness as Microsoft.Extensions.AI's OpenAI adapter reads it: a bool under
    /// <c>ChatOptions.AdditionalProperties["strict"]</c> (<c>OpenAIClientExtensions.StrictKey</c>); null when not set.</summary>
    private static bool? Strict(ChatOptions options) =>
        options.AdditionalProperties?.TryGetValue(StrictKey, out var value) is true && value is bool strict ? strict : null;

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
