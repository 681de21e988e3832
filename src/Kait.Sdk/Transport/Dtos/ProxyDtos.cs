using System.Text.Json;

namespace Kait.Sdk.Transport.Dtos;

/// <summary><c>GET /v1/models</c>.</summary>
internal sealed class OpenAIModelList
{
    public IReadOnlyList<OpenAIModelEntry>? Data { get; init; }
}

/// <summary>One model of <c>/v1/models</c>.</summary>
internal sealed class OpenAIModelEntry
{
    public string? Id { get; init; }

    public string? OwnedBy { get; init; }
}

/// <summary><c>GET /model/info</c>.</summary>
internal sealed class ProxyModelInfoList
{
    public IReadOnlyList<ProxyModelInfoEntry>? Data { get; init; }
}

/// <summary>One deployment of <c>/model/info</c>.</summary>
internal sealed class ProxyModelInfoEntry
{
    public string? ModelName { get; init; }

    public Dictionary<string, JsonElement>? LitellmParams { get; init; }

    public Dictionary<string, JsonElement>? ModelInfo { get; init; }
}

/// <summary><c>GET /health/readiness</c>.</summary>
internal sealed class ProxyReadinessBody
{
    public string? Status { get; init; }

    public string? Db { get; init; }

    public JsonElement? Cache { get; init; }

    public string? LitellmVersion { get; init; }
}
