using System.Buffers;
using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Caching.Hybrid;

namespace Kait.Sdk.Caching;

/// <summary>A reply as the response cache keeps it: sealed and immutable, so an in-memory (L1) hit hands back this
/// very instance without deserializing. Never holds a key.</summary>
[ImmutableObject(true)]
internal sealed class CachedResponse
{
    public required string Text { get; init; }

    public required int InputTokens { get; init; }

    public required int CachedInputTokens { get; init; }

    public required int OutputTokens { get; init; }

    public int CacheCreationInputTokens { get; init; }

    public string? Provider { get; init; }

    public string? ProviderModel { get; init; }

    public string? FinishReason { get; init; }

    public string? ResponseId { get; init; }

    /// <summary>When the reply was received (for <see cref="LlmCacheControl.SMaxAge"/>).</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    public static CachedResponse From(LlmResult result, DateTimeOffset now) => new()
    {
        Text = result.Text,
        InputTokens = result.Usage.InputTokens,
        CachedInputTokens = result.Usage.CachedInputTokens,
        OutputTokens = result.Usage.OutputTokens,
        CacheCreationInputTokens = result.Usage.CacheCreationInputTokens,
        Provider = result.Provider,
        ProviderModel = result.ProviderModel,
        FinishReason = result.FinishReason,
        ResponseId = result.ResponseId,
        CreatedAt = now,
    };

    /// <summary>The result of a hit: no call made, so no cost, no attempt, no call id.</summary>
    public LlmResult ToHit(string alias, LlmRoute route) => new()
    {
        Text = Text,
        Usage = new LlmUsage(InputTokens, CachedInputTokens, OutputTokens, CacheCreationInputTokens),
        Alias = alias,
        Provider = Provider,
        ProviderModel = ProviderModel,
        Route = route,
        CostUsd = 0m,
        CostSource = CostSource.Cache,
        Cached = true,
        Attempts = 0,
        FinishReason = FinishReason,
        ResponseId = ResponseId,
    };
}

/// <summary>Source-generated JSON for the cache (no reflection).</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CachedResponse))]
internal sealed partial class CacheJsonContext : JsonSerializerContext;

/// <summary>HybridCache's serializer of <see cref="CachedResponse"/> (L2 and Redis), over <see cref="CacheJsonContext"/>.</summary>
internal sealed class CachedResponseSerializer : IHybridCacheSerializer<CachedResponse>
{
    public CachedResponse Deserialize(ReadOnlySequence<byte> source)
    {
        var reader = new Utf8JsonReader(source);
        return JsonSerializer.Deserialize(ref reader, CacheJsonContext.Default.CachedResponse)
            ?? throw new JsonException("A cached response was null.");
    }

    public void Serialize(CachedResponse value, IBufferWriter<byte> target)
    {
        using var writer = new Utf8JsonWriter(target);
        JsonSerializer.Serialize(writer, value, CacheJsonContext.Default.CachedResponse);
    }
}
