using System.Text.Json;

namespace Kait.Sdk.Transport.Dtos;

/// <summary><c>GET /v1/models</c>.</summary>
internal sealed class OpenAIModelList
{
    public IReadOnlyList<OpenAIModelEntry>? Data { get; set; }
}

/// <summary>One model of <c>/v1/models</c>.</summary>
internal sealed class OpenAIModelEntry
{
    public string? Id { get; set; }

    public string? OwnedBy { get; set; }
}

/// <summary><c>GET /model/info</c>.</summary>
internal sealed class ProxyModelInfoList
{
    public IReadOnlyList<ProxyModelInfoEntry>? Data { get; set; }
}

/// <summary>One deployment of <c>/model/info</c>.</summary>
internal sealed class ProxyModelInfoEntry
{
    public string? ModelName { get; set; }

    public Dictionary<string, JsonElement>? LitellmParams { get; set; }

    public Dictionary<string, JsonElement>? ModelInfo { get; set; }
}

/// <summary><c>GET /health/readiness</c>.</summary>
internal sealed class ProxyReadinessBody
{
    public string? Status { get; set; }

    public string? Db { get; set; }

    public JsonElement? Cache { get; set; }

    public string? LitellmVersion { get; set; }
}
