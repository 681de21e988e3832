using System.Text.Json;
using Kait.Sdk.Costs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kait.Sdk;

/// <summary>What one deployment's model takes, by LiteLLM's flag names; null: nobody says (the planner then takes the
/// choice that works on every model).</summary>
/// <param name="SupportsResponseSchema"><c>supports_response_schema</c>.</param>
/// <param name="SupportsNativeStructuredOutput"><c>supports_native_structured_output</c>: the provider enforces the
/// schema (Anthropic's <c>output_config.format</c>); else Kait forces a tool on Anthropic.</param>
/// <param name="SupportsReasoning"><c>supports_reasoning</c>.</param>
/// <param name="SupportsPromptCaching"><c>supports_prompt_caching</c>.</param>
internal readonly record struct ModelCapabilities(bool? SupportsResponseSchema, bool? SupportsNativeStructuredOutput, bool? SupportsReasoning, bool? SupportsPromptCaching)
{
    public static ModelCapabilities Unknown => default;

    /// <summary>Each flag from <paramref name="preferred"/> when it says, else from this.</summary>
    public ModelCapabilities OverriddenBy(ModelCapabilities preferred) => new(
        preferred.SupportsResponseSchema ?? SupportsResponseSchema,
        preferred.SupportsNativeStructuredOutput ?? SupportsNativeStructuredOutput,
        preferred.SupportsReasoning ?? SupportsReasoning,
        preferred.SupportsPromptCaching ?? SupportsPromptCaching);
}

/// <summary>
/// The capabilities of each deployment, from data: the config's <c>model_info</c> (<c>supports_response_schema</c>,
/// <c>supports_native_structured_output</c>, <c>supports_reasoning</c>, <c>supports_prompt_caching</c>; carried on
/// <see cref="ModelDeployment"/> by the generator and the run-time catalogue) wins over LiteLLM's model map
/// (<c>KAIT_PRICE_MAP</c>, the same file the costs read; looked up as <see cref="ModelNames.Candidates"/>).
/// The map is read once, lazily, by <see cref="LiteLlmPriceMap"/> (the one reader of that file, within its size limit);
/// a map that cannot be read is logged and leaves every flag unknown.
/// </summary>
internal sealed partial class ModelCapabilityCatalog
{
    private readonly Lazy<LiteLlmPriceMap?> map;

    public ModelCapabilityCatalog(string? priceMapPath, ILogger? logger = null)
    {
        var log = logger ?? NullLogger.Instance;
        map = new Lazy<LiteLlmPriceMap?>(() => Load(priceMapPath, log), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>No map: the config's flags only.</summary>
    public static ModelCapabilityCatalog ConfigOnly { get; } = new(null);

    /// <summary>The deployment's capabilities: its <c>model_info</c> flags over the map's.</summary>
    public ModelCapabilities For(ModelDeployment? deployment)
    {
        if (deployment is null)
        {
            return ModelCapabilities.Unknown;
        }

        var fromConfig = new ModelCapabilities(deployment.SupportsResponseSchema, deployment.SupportsNativeStructuredOutput, deployment.SupportsReasoning, deployment.SupportsPromptCaching);
        if (map.Value is { } entries)
        {
            // As the costs look a model up: each candidate name, then the same without its provider prefix.
            foreach (var name in ModelNames.Candidates(deployment))
            {
                if (entries.TryGetCapabilities(name, out var fromMap))
                {
                    return fromMap.OverriddenBy(fromConfig);
                }
            }
        }

        return fromConfig;
    }

    /// <summary>Throws <see cref="BadRequestException"/> when the call asks for reasoning and every deployment says it has
    /// none (<c>supports_reasoning: false</c> in <c>model_info</c> or LiteLLM's map): the provider would answer 400 to
    /// <c>reasoning_effort</c>. Unknown models are sent the field; a call without reasoning looks nothing up.</summary>
    /// <param name="options">The call's options.</param>
    /// <param name="deployments">The deployments that may serve the call.</param>
    /// <param name="alias">For the message.</param>
    public void CheckReasoning(LlmCallOptions options, IReadOnlyList<ModelDeployment> deployments, string alias)
    {
        if (!AsksReasoning(options) || deployments.Count == 0)
        {
            return;
        }

        foreach (var deployment in deployments)
        {
            if (For(deployment).SupportsReasoning != false)
            {
                return;
            }
        }

        throw NotReasoning(alias);
    }

    /// <summary>As the other overload, for the one deployment a bridge calls.</summary>
    /// <param name="options">The call's options.</param>
    /// <param name="deployment">The deployment called.</param>
    /// <param name="alias">For the message.</param>
    public void CheckReasoning(LlmCallOptions options, ModelDeployment deployment, string alias)
    {
        if (AsksReasoning(options) && For(deployment).SupportsReasoning == false)
        {
            throw NotReasoning(alias);
        }
    }

    private static bool AsksReasoning(LlmCallOptions options) => options.Reasoning is { Effort: not LlmReasoningEffort.None };

    private static BadRequestException NotReasoning(string alias) =>
        new($"'{alias}' is not a reasoning model (supports_reasoning: false in its model_info or LiteLLM's model map), so it cannot take Reasoning: drop it, or call a reasoning model. Nothing was sent.");

    private static LiteLlmPriceMap? Load(string? path, ILogger logger)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return null;
        }

        try
        {
            return LiteLlmPriceMap.Load(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            LogMapUnreadable(logger, path, ex.Message, ex);
            return null;
        }
    }

    [LoggerMessage(EventId = 4140, Level = LogLevel.Error, Message = "The model map {Path} (KAIT_PRICE_MAP) cannot be read for model capabilities: {Reason}. Only the config's model_info flags are used.")]
    private static partial void LogMapUnreadable(ILogger logger, string path, string reason, Exception exception);
}
