using System.Text.Json.Nodes;

namespace Kait.Sdk.Translation;

/// <summary>
/// What Anthropic's Messages API takes, decided before anything is sent (so a caller gets a clear Kait error, not a 400):
/// <list type="bullet">
/// <item>API version <c>2026-10-21</c> removed <c>temperature</c>, <c>top_p</c> and <c>top_k</c>: a request that sends
/// any of them is a 400, even at the default value (https://platform.claude.com/docs/en/api/versioning, "2026-10-21").
/// Kait refuses such a call on that version; <c>KAIT_ANTHROPIC_VERSION=2023-06-01</c> sends them.</item>
/// <item>On <c>2023-06-01</c>, Claude 4.x models answer 400 "<c>temperature</c> and <c>top_p</c> cannot both be
/// specified" (https://platform.claude.com/docs/en/about-claude/models/migrating-to-claude-4, "Update sampling
/// parameters": use temperature or top_p, not both). Kait refuses both together for every Anthropic deployment, on
/// the bridge and through the proxy (LiteLLM passes both on).</item>
/// <item>Structured output: native <c>output_config.format</c> (<c>{"type":"json_schema","schema":...}</c>,
/// https://platform.claude.com/docs/en/build-with-claude/structured-outputs) when the model supports it
/// (<c>supports_native_structured_output</c>, from the config's <c>model_info</c> or LiteLLM's model map); else the
/// documented fallback, a single forced tool whose input is the answer (<see cref="AnthropicRequestShapes"/>).
/// JSON mode without a schema always takes the fallback: <c>output_config.format</c> needs a schema.</item>
/// </list>
/// </summary>
internal static class AnthropicParameterRules
{
    /// <summary>The first API version without sampling parameters.</summary>
    public const string NoSamplingVersion = "2026-10-21";

    /// <summary>Throws <see cref="BadRequestException"/> when the call sets sampling the version or model refuses.</summary>
    /// <param name="options">The call's options.</param>
    /// <param name="apiVersion">The <c>anthropic-version</c> sent; null through the proxy (LiteLLM sends its own, 2023-06-01).</param>
    /// <param name="alias">For the message.</param>
    public static void CheckSampling(LlmCallOptions options, string? apiVersion, string alias)
    {
        if (apiVersion is not null && string.CompareOrdinal(apiVersion, NoSamplingVersion) >= 0 && (options.Temperature is not null || options.TopP is not null))
        {
            throw new BadRequestException(
                $"'{alias}' is called at Anthropic with anthropic-version {apiVersion}, which has no temperature or top_p (the API answers 400 to either, "
                + "even at its default). Leave Temperature and TopP unset, or set KAIT_ANTHROPIC_VERSION (Kait:AnthropicVersion) to 2023-06-01. Nothing was sent.");
        }

        if (options.Temperature is not null && options.TopP is not null)
        {
            throw new BadRequestException(
                $"'{alias}' is a Claude model: set Temperature or TopP, not both (Claude 4.x models answer 400 \"temperature and top_p cannot both be specified\"). Nothing was sent.");
        }
    }

    /// <summary>
    /// Throws <see cref="BadRequestException"/> when extended thinking meets what Anthropic refuses with it: a
    /// <c>temperature</c> (thinking is "not compatible with temperature or top_k modifications") or a forced tool — an
    /// explicit <c>Required</c>/<c>Named</c> tool choice, or the forced tool that stands in for a schema on a model without
    /// native structured output (https://docs.anthropic.com/en/docs/build-with-claude/extended-thinking, "Feature
    /// compatibility": only <c>tool_choice</c> auto or none with thinking).
    /// </summary>
    /// <param name="options">The call's options as sent (after the native-output choice).</param>
    /// <param name="alias">For the message.</param>
    public static void CheckThinking(LlmCallOptions options, string alias)
    {
        if (ReasoningShapes.Budget(options) is null)
        {
            return;
        }

        if (options.Temperature is not null)
        {
            throw new BadRequestException($"'{alias}' is asked to reason (Claude's extended thinking), which does not take a Temperature: leave Temperature unset or drop Reasoning. Nothing was sent.");
        }

        if (AnthropicRequestShapes.StructuredToolName(options) is not null)
        {
            throw new BadRequestException(
                $"'{alias}' is asked to reason and to answer a JSON schema, which on this model Kait can only get by forcing a tool, and Claude refuses a forced tool while thinking. "
                + "Drop Reasoning, or use a model with native structured output (model_info supports_native_structured_output: true). Nothing was sent.");
        }

        if (options.Tools is { Count: > 0 } && options.ToolChoice is { Mode: LlmToolChoiceMode.Required or LlmToolChoiceMode.Named })
        {
            throw new BadRequestException($"'{alias}' is asked to reason with a forced tool choice, which Claude refuses while thinking: use LlmToolChoice.Auto (or None), or drop Reasoning. Nothing was sent.");
        }
    }

    /// <summary>True when the call's reply format goes as <c>output_config.format</c>.</summary>
    public static bool UsesNativeStructuredOutput(LlmCallOptions options, ModelCapabilities capabilities) =>
        options.ResponseFormat is { Kind: LlmResponseFormatKind.JsonSchema, Schema: not null } && capabilities.SupportsNativeStructuredOutput == true;

    /// <summary><c>{"format":{"type":"json_schema","schema":...}}</c>.</summary>
    public static JsonObject OutputConfig(LlmResponseFormat format) => new()
    {
        ["format"] = new JsonObject
        {
            ["type"] = "json_schema",
            ["schema"] = JsonNode.Parse(format.Schema!.Value.GetRawText()),
        },
    };
}
