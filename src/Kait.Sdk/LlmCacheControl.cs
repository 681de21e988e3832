namespace Kait.Sdk;

/// <summary>
/// Per-call control of the response cache, mirroring LiteLLM's <c>cache</c> request field (also forwarded to the
/// proxy as <c>"cache": {...}</c> so its own cache obeys the same call).
/// </summary>
public sealed record LlmCacheControl
{
    /// <summary>Do not read a cached response: call upstream (the fresh reply is still stored unless
    /// <see cref="NoStore"/>). LiteLLM's <c>no-cache</c>.</summary>
    public bool NoCache { get; init; }

    /// <summary>Do not store this reply. LiteLLM's <c>no-store</c>.</summary>
    public bool NoStore { get; init; }

    /// <summary>How long this reply stays cached, in place of <see cref="KaitCacheOptions.Ttl"/>. LiteLLM's <c>ttl</c>.</summary>
    public TimeSpan? Ttl { get; init; }

    /// <summary>Accept a cached reply only if it is at most this old. LiteLLM's <c>s-maxage</c>.</summary>
    public TimeSpan? SMaxAge { get; init; }

    /// <summary>A namespace: entries of different namespaces are never shared. LiteLLM's <c>namespace</c>.</summary>
    public string? Namespace { get; init; }
}
