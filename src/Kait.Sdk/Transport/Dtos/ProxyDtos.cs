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

// Spend and virtual keys. Shapes: LiteLLM's SpendAnalyticsPaginatedResponse
// (litellm/types/proxy/management_endpoints/common_daily_activity.py; https://docs.litellm.ai/docs/proxy/cost_tracking
// "Daily Spend Breakdown API", https://docs.litellm.ai/docs/proxy/metrics) and the virtual-key endpoints
// (https://docs.litellm.ai/docs/proxy/virtual_keys).

/// <summary><c>GET /user/daily/activity</c> and <c>GET /tag/daily/activity</c>: one page.</summary>
internal sealed class ProxyDailyActivityBody
{
    public IReadOnlyList<ProxyDailySpendBody>? Results { get; set; }

    public ProxyDailySpendMetadataBody? Metadata { get; set; }
}

/// <summary>One day of a page (a day may continue on the next page).</summary>
internal sealed class ProxyDailySpendBody
{
    public string? Date { get; set; }

    public ProxySpendMetricsBody? Metrics { get; set; }

    public ProxyBreakdownBody? Breakdown { get; set; }
}

/// <summary><c>SpendMetrics</c>.</summary>
internal sealed class ProxySpendMetricsBody
{
    public decimal Spend { get; set; }

    public long PromptTokens { get; set; }

    public long CompletionTokens { get; set; }

    public long CacheReadInputTokens { get; set; }

    public long ApiRequests { get; set; }

    public long SuccessfulRequests { get; set; }

    public long FailedRequests { get; set; }
}

/// <summary><c>BreakdownMetrics</c>: each dimension maps a name to <c>{metrics, metadata}</c>.</summary>
internal sealed class ProxyBreakdownBody
{
    public Dictionary<string, ProxyMetricBody>? Models { get; set; }

    public Dictionary<string, ProxyMetricBody>? ModelGroups { get; set; }

    public Dictionary<string, ProxyMetricBody>? ApiKeys { get; set; }

    public Dictionary<string, ProxyMetricBody>? Entities { get; set; }
}

/// <summary><c>{metrics, metadata}</c>.</summary>
internal sealed class ProxyMetricBody
{
    public ProxySpendMetricsBody? Metrics { get; set; }

    public Dictionary<string, JsonElement>? Metadata { get; set; }
}

/// <summary><c>DailySpendMetadata</c>: the page and whether more follow.</summary>
internal sealed class ProxyDailySpendMetadataBody
{
    public int Page { get; set; }

    public int TotalPages { get; set; }

    public bool HasMore { get; set; }
}

/// <summary><c>POST /key/generate</c>'s body.</summary>
internal sealed class ProxyKeyGenerateRequest
{
    public IReadOnlyList<string>? Models { get; set; }

    public decimal? MaxBudget { get; set; }

    public string? BudgetDuration { get; set; }

    public string? Duration { get; set; }

    public IReadOnlyDictionary<string, string>? Metadata { get; set; }

    public string? KeyAlias { get; set; }
}

/// <summary><c>POST /key/generate</c>'s answer.</summary>
internal sealed class ProxyKeyGenerateResponse
{
    public string? Key { get; set; }

    public string? KeyAlias { get; set; }

    public string? TokenId { get; set; }

    public DateTimeOffset? Expires { get; set; }

    public decimal? MaxBudget { get; set; }

    public string? BudgetDuration { get; set; }

    public IReadOnlyList<string>? Models { get; set; }
}

/// <summary><c>GET /key/info</c>'s answer: <c>{"key": ..., "info": {...}}</c>.</summary>
internal sealed class ProxyKeyInfoBody
{
    public ProxyKeyInfoDetail? Info { get; set; }
}

/// <summary>The <c>info</c> of <c>/key/info</c> (a row of <c>LiteLLM_VerificationToken</c>).</summary>
internal sealed class ProxyKeyInfoDetail
{
    public string? KeyAlias { get; set; }

    public decimal? Spend { get; set; }

    public decimal? MaxBudget { get; set; }

    public string? BudgetDuration { get; set; }

    public DateTimeOffset? BudgetResetAt { get; set; }

    public DateTimeOffset? Expires { get; set; }

    public IReadOnlyList<string>? Models { get; set; }
}

/// <summary><c>POST /key/delete</c>'s body: keys or their hashes.</summary>
internal sealed class ProxyKeyDeleteRequest
{
    public IReadOnlyList<string>? Keys { get; set; }
}

/// <summary><c>POST /key/delete</c>'s answer.</summary>
internal sealed class ProxyKeyDeleteResponse
{
    public IReadOnlyList<string>? DeletedKeys { get; set; }
}
