namespace Kait.Sdk;

/// <summary>The proxy's <c>/health/readiness</c>: what <see cref="LiteLlmProxyClient.GetReadinessAsync"/> returns and what
/// the supervisor's health probe reads, with one rule for "ready" and one for "this is LiteLLM".</summary>
/// <param name="Status">"connected" (or "healthy") when ready.</param>
/// <param name="Database">Its database state.</param>
/// <param name="LiteLlmVersion">The LiteLLM version.</param>
public sealed record LiteLlmProxyReadiness(string? Status, string? Database, string? LiteLlmVersion)
{
    /// <summary>The proxy says it is ready: a LiteLLM reply (<see cref="Status"/> and <see cref="LiteLlmVersion"/>
    /// given) whose status is <c>connected</c> or <c>healthy</c>.</summary>
    public bool IsReady => IsLiteLlm
        && (string.Equals(Status, "connected", StringComparison.OrdinalIgnoreCase) || string.Equals(Status, "healthy", StringComparison.OrdinalIgnoreCase));

    /// <summary>The reply has LiteLLM's shape (string <c>status</c> and <c>litellm_version</c>): only then may a proxy
    /// Kait did not start be sent the master key.</summary>
    internal bool IsLiteLlm => Status is not null && LiteLlmVersion is not null;

    /// <summary>A readiness body, or null when it is not a JSON object of LiteLLM's field types.</summary>
    internal static LiteLlmProxyReadiness? FromJson(string? json)
    {
        try
        {
            var body = System.Text.Json.JsonSerializer.Deserialize(json ?? string.Empty, Transport.KaitJsonContext.Default.ProxyReadinessBody);
            return body is null ? null : new LiteLlmProxyReadiness(body.Status, body.Db, body.LitellmVersion);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}

/// <summary>One deployment of the proxy's <c>/model/info</c>.</summary>
/// <param name="ModelName">The group (alias) name.</param>
/// <param name="Model"><c>litellm_params.model</c>.</param>
/// <param name="Id"><c>model_info.id</c>.</param>
/// <param name="Mode"><c>model_info.mode</c>.</param>
public sealed record LiteLlmProxyModelInfo(string ModelName, string? Model, string? Id, string? Mode);

/// <summary>Embeddings, from the proxy or OpenAI's bridge.</summary>
/// <param name="Vectors">One vector per input, in input order.</param>
/// <param name="InputTokens">Prompt tokens.</param>
/// <param name="CallId"><c>x-litellm-call-id</c>.</param>
/// <param name="CostUsd"><c>x-litellm-response-cost</c>, when sent; else the cost calculator's estimate.</param>
public sealed record LlmEmbeddings(IReadOnlyList<ReadOnlyMemory<float>> Vectors, int InputTokens, string? CallId, decimal? CostUsd)
{
    /// <summary>How the call went: through the proxy or direct.</summary>
    public LlmRoute Route { get; init; } = LlmRoute.Proxy;

    /// <summary>Where <see cref="CostUsd"/> came from.</summary>
    public CostSource CostSource { get; init; } = CostSource.Unknown;

    /// <summary>The model the server named; null when it named none.</summary>
    public string? Model { get; init; }
}
