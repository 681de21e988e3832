using System.Text;
using Kait.Sdk.Pipeline;
using Kait.Sdk.Transport;
using Kait.Sdk.Transport.Dtos;

namespace Kait.Sdk.Translation;

/// <summary>The unified chat shape to and from Anthropic Messages: system messages become the <c>system</c> prompt,
/// <c>max_tokens</c> gets a default, stop reasons are mapped to OpenAI's words, and usage is normalised (Anthropic's
/// <c>input_tokens</c> excludes cache reads and writes; <see cref="LlmUsage.InputTokens"/> includes them).</summary>
internal static class AnthropicTranslator
{
    public static AnthropicMessagesRequest ToRequest(string model, IReadOnlyList<LlmMessage> messages, LlmCallOptions options, int defaultMaxTokens, bool stream)
    {
        var system = messages.Where(m => m.Role == LlmRole.System).Select(m => m.Content).ToArray();
        var budget = ReasoningShapes.Budget(options);
        return new AnthropicMessagesRequest
        {
            Model = model,
            MaxTokens = ReasoningShapes.AnthropicMaxTokens(options, defaultMaxTokens, budget),
            System = PromptCacheShapes.AnthropicSystem(system.Length == 0 ? null : string.Join("\n\n", system), options, messages),
            Messages = AnthropicRequestShapes.Messages(messages),
            Temperature = options.Temperature,
            TopP = options.TopP,
            StopSequences = options.Stop is { Count: > 0 } stop ? stop : null,
            Stream = stream ? true : null,
            Metadata = options.User is { } user ? new AnthropicMetadata { UserId = user } : null,
            Tools = AnthropicRequestShapes.Tools(options),
            ToolChoice = AnthropicRequestShapes.ToolChoice(options),
            Thinking = ReasoningShapes.AnthropicThinking(budget),
        };
    }

    /// <summary>A whole reply. <paramref name="structuredTool"/>: the forced tool of structured output, whose input is
    /// returned as the text (<see cref="AnthropicRequestShapes.StructuredToolName"/>).</summary>
    public static CallReply FromResponse(AnthropicMessagesResponse response, string? structuredTool = null)
    {
        var blocks = response.Content ?? [];
        var structured = structuredTool is null ? null : blocks.FirstOrDefault(b => b.Type == "tool_use" && b.Name == structuredTool);
        var calls = blocks
            .Where(b => b.Type == "tool_use" && b != structured && b.Name is not null)
            .Select(b => new LlmToolCall(b.Id ?? string.Empty, b.Name!, b.Input?.GetRawText() ?? "{}"))
            .ToArray();
        var reasoning = ReasoningShapes.FromAnthropic(blocks);
        return new CallReply
        {
            Reasoning = ReasoningShapes.Text(reasoning),
            ReasoningBlocks = reasoning,
            AdditionalFields = response.Unmapped,
            Text = structured?.Input?.GetRawText() ?? string.Concat(blocks.Where(b => b.Type == "text").Select(b => b.Text)),
            Usage = ToUsage(response.Usage, null),
            FinishReason = structured is not null && calls.Length == 0 ? "stop" : MapStopReason(response.StopReason),
            ResponseModel = response.Model,
            ResponseId = response.Id,
            ToolCalls = calls,
        };
    }

    /// <summary>Normalised usage; <paramref name="outputOverride"/> is a stream's final <c>message_delta</c> count.</summary>
    public static LlmUsage ToUsage(AnthropicUsage? usage, int? outputOverride)
    {
        if (usage is null)
        {
            return new LlmUsage(0, 0, outputOverride ?? 0);
        }

        var read = usage.CacheReadInputTokens ?? 0;
        var written = usage.CacheCreationInputTokens ?? 0;
        return new LlmUsage((usage.InputTokens ?? 0) + read + written, read, outputOverride ?? usage.OutputTokens ?? 0, written);
    }

    /// <summary>Anthropic's stop reason in OpenAI's words.</summary>
    public static string? MapStopReason(string? reason) => reason switch
    {
        null => null,
        "end_turn" or "stop_sequence" or "pause_turn" => "stop",
        "max_tokens" or "model_context_window_exceeded" => "length",
        "tool_use" => "tool_calls",
        "refusal" => "content_filter",
        _ => reason,
    };

    /// <summary>Folds stream events into a result.</summary>
    /// <param name="structuredTool">The forced tool of structured output: its input deltas are streamed as text.</param>
    internal sealed class StreamAccumulator(string? structuredTool = null)
    {
        private readonly StringBuilder text = new();
        private readonly ToolCallAssembler toolCalls = new();
        private readonly ReasoningShapes.Accumulator reasoning = new();
        private int? structuredIndex;
        private AnthropicMessagesResponse? start;
        private AnthropicUsage? finalUsage;
        private string? stopReason;

        /// <summary>Takes an event; returns its text (empty when it has none); <paramref name="thinking"/>: its
        /// reasoning text; <paramref name="signed"/>: the reasoning block it completed (signed or redacted), or null.</summary>
        public string Add(AnthropicStreamEvent e, out string thinking, out LlmReasoningBlock? signed)
        {
            thinking = string.Empty;
            signed = null;
            switch (e.Type)
            {
                case "content_block_start" when e.ContentBlock?.Type == "thinking":
                    reasoning.Start();
                    reasoning.AddText(e.ContentBlock.Thinking);
                    thinking = e.ContentBlock.Thinking ?? string.Empty;
                    break;
                case "content_block_start" when e.ContentBlock?.Type == "redacted_thinking":
                    signed = reasoning.Redacted(e.ContentBlock.Data);
                    break;
                case "content_block_delta" when e.Delta?.Type == "thinking_delta":
                    reasoning.AddText(e.Delta.Thinking);
                    thinking = e.Delta.Thinking ?? string.Empty;
                    break;
                case "content_block_delta" when e.Delta?.Type == "signature_delta":
                    signed = reasoning.Sign(e.Delta.Signature);
                    break;
                case "message_start":
                    start = e.Message;
                    break;
                case "content_block_delta" when e.Delta?.Type == "text_delta":
                    text.Append(e.Delta.Text);
                    return e.Delta.Text ?? string.Empty;
                case "content_block_start" when e.ContentBlock?.Type == "tool_use":
                    if (structuredTool is not null && e.ContentBlock.Name == structuredTool && structuredIndex is null)
                    {
                        structuredIndex = e.Index ?? -1;
                    }
                    else
                    {
                        toolCalls.Add(e.Index ?? -1, e.ContentBlock.Id, e.ContentBlock.Name, null);
                    }

                    break;
                case "content_block_delta" when e.Delta?.Type == "input_json_delta":
                    if (structuredIndex is not null && (e.Index ?? -1) == structuredIndex)
                    {
                        text.Append(e.Delta.PartialJson);
                        return e.Delta.PartialJson ?? string.Empty;
                    }

                    toolCalls.Add(e.Index ?? -1, null, null, e.Delta.PartialJson);
                    break;
                case "message_delta":
                    stopReason = e.Delta?.StopReason ?? stopReason;
                    finalUsage = e.Usage ?? finalUsage;
                    break;
            }

            return string.Empty;
        }

        public CallReply ToResult()
        {
            // message_start has the input counts; message_delta the final output count (and, lately, cache counts too).
            var startUsage = start?.Usage;
            var merged = new AnthropicUsage
            {
                InputTokens = finalUsage?.InputTokens ?? startUsage?.InputTokens,
                CacheReadInputTokens = finalUsage?.CacheReadInputTokens ?? startUsage?.CacheReadInputTokens,
                CacheCreationInputTokens = finalUsage?.CacheCreationInputTokens ?? startUsage?.CacheCreationInputTokens,
                OutputTokens = finalUsage?.OutputTokens ?? startUsage?.OutputTokens,
            };
            var calls = toolCalls.ToCalls();
            return new CallReply
            {
                ReasoningBlocks = reasoning.Blocks(),
                Reasoning = reasoning.AllText,
                Text = text.ToString(),
                Usage = ToUsage(merged, null),
                FinishReason = structuredIndex is not null && calls.Count == 0 ? "stop" : MapStopReason(stopReason),
                ResponseModel = start?.Model,
                ResponseId = start?.Id,
                ToolCalls = calls,
            };
        }
    }
}
