using System.Text.Json.Serialization;

namespace Kait.Cli.Output;

/// <summary>The object <c>kait chat --json</c> prints.</summary>
internal sealed record ChatJson(
    string Text,
    string Alias,
    string? Provider,
    string? Model,
    string Route,
    int InputTokens,
    int CachedInputTokens,
    int OutputTokens,
    decimal? CostUsd,
    string CostSource,
    bool Cached,
    int Attempts,
    int? ProxyRetries,
    string? CallId)
{
    /// <summary>Prompt tokens written to the provider's prompt cache.</summary>
    public int CacheCreationInputTokens { get; init; }

    /// <summary>Output tokens spent on reasoning.</summary>
    public int ReasoningTokens { get; init; }

    /// <summary>The reasoning text, when the model returned one.</summary>
    public string? Reasoning { get; init; }
}

/// <summary>One alias as <c>kait models --json</c> prints it.</summary>
internal sealed record ModelJson(string Alias, string? Member, string? Provider, string? Model, string? KeyVariable, bool KeySet, string Route, string? Source);

/// <summary>One group of <c>kait costs --json</c>.</summary>
internal sealed record CostJson(string Key, long Calls, long InputTokens, long OutputTokens, decimal CostUsd, long CacheHits);

/// <summary>One day and alias of <c>kait costs --source both --json</c>: this machine's ledger beside the proxy's figures.</summary>
internal sealed record CostComparisonJson(string Day, string Alias, long LocalCalls, decimal LocalUsd, long ProxyRequests, decimal ProxyUsd, decimal DifferenceUsd, bool Flagged, string? Reason);

/// <summary>Source-generated JSON for the CLI's output (no reflection).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(ChatJson))]
[JsonSerializable(typeof(ModelJson[]))]
[JsonSerializable(typeof(CostJson[]))]
[JsonSerializable(typeof(CostComparisonJson[]))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
