using System.Buffers;
using System.ComponentModel;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Kait.Sdk.Pipeline;
using Microsoft.Extensions.Caching.Hybrid;

namespace Kait.Sdk.Caching;

/// <summary>A reply as the response cache keeps it, whole: text, tool calls, finish reason, usage, refusal, the model
/// and route that served it, or an embeddings call's vectors; so a hit is the same answer, replayed as a stream too.
/// Sealed and immutable, so an in-memory (L1) hit hands back this very instance. Never holds a credential.</summary>
[ImmutableObject(true)]
internal sealed class CachedResponse
{
    /// <summary>The cache key it was stored under: a stored entry is only ever read back for that key (an entry
    /// copied to another key in a shared store is refused).</summary>
    public required string Key { get; init; }

    public required string Text { get; init; }

    public required int InputTokens { get; init; }

    public required int CachedInputTokens { get; init; }

    public required int OutputTokens { get; init; }

    public int CacheCreationInputTokens { get; init; }

    public int ReasoningTokens { get; init; }

    public string? Reasoning { get; init; }

    public IReadOnlyList<CachedReasoningBlock>? ReasoningBlocks { get; init; }

    public Dictionary<string, JsonElement>? AdditionalFields { get; init; }

    public IReadOnlyList<CachedToolCall>? ToolCalls { get; init; }

    public IReadOnlyList<float[]>? Vectors { get; init; }

    public string? Refusal { get; init; }

    public string? Provider { get; init; }

    public string? ProviderModel { get; init; }

    public string? FinishReason { get; init; }

    public string? ResponseId { get; init; }

    public LlmRoute Route { get; init; }

    /// <summary>When the reply was received (for <see cref="LlmCacheControl.SMaxAge"/>).</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The entry of <paramref name="reply"/>, served by <paramref name="servedBy"/>.</summary>
    public static CachedResponse From(string key, CallReply reply, CallTarget servedBy, DateTimeOffset now) => new()
    {
        Key = key,
        Text = reply.Text,
        InputTokens = reply.Usage.InputTokens,
        CachedInputTokens = reply.Usage.CachedInputTokens,
        OutputTokens = reply.Usage.OutputTokens,
        CacheCreationInputTokens = reply.Usage.CacheCreationInputTokens,
        ReasoningTokens = reply.Usage.ReasoningTokens,
        Reasoning = reply.Reasoning,
        ReasoningBlocks = reply.ReasoningBlocks.Count == 0 ? null : reply.ReasoningBlocks.Select(b => new CachedReasoningBlock(b.Text, b.Signature, b.RedactedData)).ToArray(),
        AdditionalFields = reply.AdditionalFields is { Count: > 0 } fields ? new Dictionary<string, JsonElement>(fields) : null,
        ToolCalls = reply.ToolCalls.Count == 0 ? null : reply.ToolCalls.Select(c => new CachedToolCall(c.Id, c.Name, c.ArgumentsJson)).ToArray(),
        Vectors = reply.Vectors,
        Refusal = reply.Refusal,
        Provider = servedBy.Provider,
        ProviderModel = reply.ResponseModel ?? servedBy.Deployment?.ProviderModel,
        FinishReason = reply.FinishReason,
        ResponseId = reply.ResponseId,
        Route = servedBy.Route,
        CreatedAt = now,
    };

    /// <summary>The reply of a hit: no call made, so no cost, no attempt, no call id.</summary>
    public CallReply ToReply() => new()
    {
        Text = Text,
        Usage = new LlmUsage(InputTokens, CachedInputTokens, OutputTokens, CacheCreationInputTokens) { ReasoningTokens = ReasoningTokens },
        Reasoning = Reasoning,
        ReasoningBlocks = ReasoningBlocks is null ? [] : ReasoningBlocks.Select(b => new LlmReasoningBlock(b.Text, b.Signature) { RedactedData = b.RedactedData }).ToArray(),
        AdditionalFields = AdditionalFields,
        ToolCalls = ToolCalls is null ? [] : ToolCalls.Select(c => new LlmToolCall(c.Id, c.Name, c.Arguments)).ToArray(),
        Vectors = Vectors,
        Refusal = Refusal,
        Provider = Provider,
        ResponseModel = ProviderModel,
        FinishReason = FinishReason,
        ResponseId = ResponseId,
        Route = Route,
        Cached = true,
    };
}

/// <summary>A reasoning block as stored.</summary>
internal sealed record CachedReasoningBlock(string Text, string? Signature, string? RedactedData);

/// <summary>A tool call as stored.</summary>
internal sealed record CachedToolCall(string Id, string Name, string Arguments);

/// <summary>Source-generated JSON for the cache (no reflection).</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CachedResponse))]
internal sealed partial class CacheJsonContext : JsonSerializerContext;

/// <summary>
/// HybridCache's serializer of <see cref="CachedResponse"/> for the shared stores (SQLite, Redis): the JSON followed by
/// an HMAC-SHA256 of it under the install's salt. An entry whose MAC does not verify — planted by anyone who can write
/// the store but does not hold the salt, or damaged — is refused and read as a miss.
/// </summary>
internal sealed class CachedResponseSerializer(byte[] macKey) : IHybridCacheSerializer<CachedResponse>
{
    private const int TagBytes = 32;

    public CachedResponse Deserialize(ReadOnlySequence<byte> source)
    {
        var bytes = source.IsSingleSegment ? source.First : source.ToArray();
        if (bytes.Length <= TagBytes)
        {
            throw new JsonException("A cached response is too short to carry its MAC.");
        }

        var json = bytes.Span[..^TagBytes];
        Span<byte> expected = stackalloc byte[TagBytes];
        HMACSHA256.HashData(macKey, json, expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, bytes.Span[^TagBytes..]))
        {
            throw new JsonException("A cached response's MAC does not verify: it was not written by this install.");
        }

        return JsonSerializer.Deserialize(json, CacheJsonContext.Default.CachedResponse)
            ?? throw new JsonException("A cached response was null.");
    }

    public void Serialize(CachedResponse value, IBufferWriter<byte> target)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(value, CacheJsonContext.Default.CachedResponse);
        target.Write(json);
        HMACSHA256.HashData(macKey, json, target.GetSpan(TagBytes)[..TagBytes]);
        target.Advance(TagBytes);
    }
}
