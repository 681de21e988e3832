using System.Text;
using System.Text.Json.Nodes;
using Kait.Sdk.Transport.Dtos;

namespace Kait.Sdk.Translation;

/// <summary>
/// Reasoning on each wire. Requests: <c>reasoning_effort</c> (OpenAI, the proxy); Anthropic's extended <c>thinking</c>
/// with <c>budget_tokens</c> from the effort (LiteLLM's own mapping: low 1,024, medium 2,048, high 4,096) and
/// <c>max_tokens</c> above it, as Anthropic requires
/// (https://docs.anthropic.com/en/docs/build-with-claude/extended-thinking). Replies: Anthropic's <c>thinking</c> and
/// <c>redacted_thinking</c> blocks, LiteLLM's <c>reasoning_content</c> and <c>thinking_blocks</c>
/// (https://docs.litellm.ai/docs/reasoning_content).
/// </summary>
internal static class ReasoningShapes
{
    /// <summary>Anthropic's smallest thinking budget.</summary>
    public const int MinimumBudget = 1024;

    /// <summary>The effort's wire name.</summary>
    public static string? Effort(LlmCallOptions options) => options.Reasoning?.Effort switch
    {
        null => null,
        LlmReasoningEffort.None => "none",
        LlmReasoningEffort.Low => "low",
        LlmReasoningEffort.Medium => "medium",
        LlmReasoningEffort.High => "high",
        _ => "xhigh",
    };

    /// <summary>The thinking budget, or null when reasoning is off or not asked for.</summary>
    public static int? Budget(LlmCallOptions options)
    {
        if (options.Reasoning is not { } reasoning || reasoning.Effort == LlmReasoningEffort.None)
        {
            return null;
        }

        var budget = reasoning.BudgetTokens ?? reasoning.Effort switch
        {
            LlmReasoningEffort.Low => 1024,
            LlmReasoningEffort.Medium => 2048,
            LlmReasoningEffort.High => 4096,
            _ => 8192,
        };
        if (budget < MinimumBudget)
        {
            throw new ArgumentException($"LlmReasoning.BudgetTokens is {budget}: Anthropic's thinking budget is at least {MinimumBudget} tokens.", nameof(options));
        }

        return budget;
    }

    /// <summary>Anthropic's <c>thinking</c>, or null.</summary>
    public static JsonNode? AnthropicThinking(int? budget) => budget is { } b
        ? new JsonObject { ["type"] = "enabled", ["budget_tokens"] = b }
        : null;

    /// <summary>Anthropic's <c>max_tokens</c> with thinking on: the caller's, which must exceed the budget, else the
    /// default answer allowance on top of the budget.</summary>
    public static int AnthropicMaxTokens(LlmCallOptions options, int defaultMaxTokens, int? budget)
    {
        if (budget is not { } b)
        {
            return options.MaxTokens ?? defaultMaxTokens;
        }

        if (options.MaxTokens is { } max)
        {
            return max > b
                ? max
                : throw new ArgumentException($"MaxTokens ({max}) must be above the thinking budget ({b} tokens): Anthropic counts thinking in max_tokens.", nameof(options));
        }

        return b + defaultMaxTokens;
    }

    /// <summary>An assistant message's reasoning blocks as Anthropic content blocks (sent first, unchanged).</summary>
    public static IEnumerable<JsonNode> AnthropicBlocks(LlmMessage m) => (m.ReasoningBlocks ?? []).Select(b => (JsonNode)(b.RedactedData is { } data
        ? new JsonObject { ["type"] = "redacted_thinking", ["data"] = data }
        : Signed(new JsonObject { ["type"] = "thinking", ["thinking"] = b.Text }, b.Signature)));

    /// <summary>An assistant message's reasoning blocks as LiteLLM's <c>thinking_blocks</c>, or null.</summary>
    public static JsonNode? LiteLlmThinkingBlocks(LlmMessage m) => m.ReasoningBlocks is { Count: > 0 }
        ? new JsonArray(AnthropicBlocks(m).ToArray())
        : null;

    /// <summary>Reasoning blocks from Anthropic content blocks.</summary>
    public static IReadOnlyList<LlmReasoningBlock> FromAnthropic(IEnumerable<AnthropicContentBlock> blocks) => blocks
        .Where(b => b.Type is "thinking" or "redacted_thinking")
        .Select(b => b.Type == "redacted_thinking"
            ? new LlmReasoningBlock(string.Empty) { RedactedData = b.Data ?? string.Empty }
            : new LlmReasoningBlock(b.Thinking ?? string.Empty, b.Signature))
        .ToArray();

    /// <summary>Reasoning blocks from LiteLLM's <c>thinking_blocks</c>.</summary>
    public static IReadOnlyList<LlmReasoningBlock> FromLiteLlm(IReadOnlyList<OpenAIThinkingBlock>? blocks) => blocks is null
        ? []
        : blocks.Select(b => b.Type == "redacted_thinking"
            ? new LlmReasoningBlock(string.Empty) { RedactedData = b.Data ?? string.Empty }
            : new LlmReasoningBlock(b.Thinking ?? string.Empty, b.Signature)).ToArray();

    /// <summary>The reasoning text of blocks, or null when there is none.</summary>
    public static string? Text(IReadOnlyList<LlmReasoningBlock> blocks)
    {
        var text = string.Concat(blocks.Select(b => b.Text));
        return text.Length > 0 ? text : null;
    }

    private static JsonObject Signed(JsonObject block, string? signature)
    {
        if (signature is not null)
        {
            block["signature"] = signature;
        }

        return block;
    }

    /// <summary>Folds streamed reasoning (Anthropic's thinking deltas and signatures, LiteLLM's reasoning deltas and
    /// thinking blocks) into blocks.</summary>
    internal sealed class Accumulator
    {
        private readonly List<LlmReasoningBlock> done = [];
        private readonly StringBuilder text = new();
        private readonly StringBuilder all = new();
        private string? signature;
        private bool open;

        /// <summary>Starts a new block (Anthropic's <c>content_block_start</c> of a thinking block).</summary>
        public void Start()
        {
            Close();
            open = true;
        }

        /// <summary>Adds thinking text to the open block (a new one when the last was signed).</summary>
        public void AddText(string? delta)
        {
            if (string.IsNullOrEmpty(delta))
            {
                return;
            }

            if (signature is not null)
            {
                Close();
            }

            open = true;
            text.Append(delta);
            all.Append(delta);
        }

        /// <summary>Adds reasoning text that belongs to no block (LiteLLM's <c>reasoning_content</c> alone).</summary>
        public void AddLooseText(string? delta) => all.Append(delta);

        /// <summary>Signs the open block; returns it, signed (null when there is no signature).</summary>
        public LlmReasoningBlock? Sign(string? value)
        {
            if (string.IsNullOrEmpty(value))
            {
                return null;
            }

            open = true;
            signature = value;
            return new LlmReasoningBlock(text.ToString(), signature);
        }

        /// <summary>A whole redacted block; returns it.</summary>
        public LlmReasoningBlock Redacted(string? data)
        {
            Close();
            var block = new LlmReasoningBlock(string.Empty) { RedactedData = data ?? string.Empty };
            done.Add(block);
            return block;
        }

        /// <summary>The blocks so far, the open one closed.</summary>
        public IReadOnlyList<LlmReasoningBlock> Blocks()
        {
            Close();
            return done.ToArray();
        }

        /// <summary>All reasoning text, or null.</summary>
        public string? AllText => all.Length > 0 ? all.ToString() : null;

        private void Close()
        {
            if (open)
            {
                done.Add(new LlmReasoningBlock(text.ToString(), signature));
            }

            text.Clear();
            signature = null;
            open = false;
        }
    }
}
