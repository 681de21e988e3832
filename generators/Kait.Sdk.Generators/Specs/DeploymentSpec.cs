namespace Kait.Sdk.Generators;

/// <summary>One deployment, as the emitter writes it.</summary>
internal sealed record DeploymentSpec(
    string Model,
    string? Provider,
    string ProviderModel,
    string? ApiBase,
    string? ApiVersion,
    string? ApiKeyVariable,
    int? Rpm,
    int? Tpm,
    string? Mode,
    string? Id,
    string? BaseModel,
    decimal? InputCostPerToken,
    decimal? OutputCostPerToken,
    decimal? CacheReadInputTokenCost,
    decimal? CacheCreationInputTokenCost,
    bool? SupportsResponseSchema = null,
    bool? SupportsNativeStructuredOutput = null,
    bool? SupportsReasoning = null,
    bool? SupportsPromptCaching = null);
