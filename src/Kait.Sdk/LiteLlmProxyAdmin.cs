namespace Kait.Sdk;

/// <summary>Spend figures of the LiteLLM proxy (LiteLLM's <c>SpendMetrics</c>;
/// https://docs.litellm.ai/docs/proxy/cost_tracking#daily-spend-breakdown-api).</summary>
/// <param name="SpendUsd">What the proxy billed, in USD.</param>
/// <param name="PromptTokens">Prompt tokens.</param>
/// <param name="CompletionTokens">Completion tokens.</param>
/// <param name="Requests">Requests (successful and failed).</param>
/// <param name="FailedRequests">Failed requests.</param>
public sealed record LiteLlmSpend(decimal SpendUsd, long PromptTokens, long CompletionTokens, long Requests, long FailedRequests)
{
    /// <summary>Nothing spent.</summary>
    public static LiteLlmSpend Zero { get; } = new(0m, 0, 0, 0, 0);

    /// <summary>The sum of two.</summary>
    /// <param name="other">The other figures.</param>
    /// <exception cref="OverflowException">A sum does not fit (never wraps to a wrong figure).</exception>
    public LiteLlmSpend Add(LiteLlmSpend other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return checked(new(SpendUsd + other.SpendUsd, PromptTokens + other.PromptTokens, CompletionTokens + other.CompletionTokens, Requests + other.Requests, FailedRequests + other.FailedRequests));
    }
}

/// <summary>One UTC day of the proxy's spend, all pages of the answer merged.</summary>
/// <param name="Date">The day.</param>
/// <param name="Total">The day's total.</param>
/// <param name="ByModelGroup">Per model group (Kait's alias).</param>
/// <param name="ByModel">Per upstream model.</param>
/// <param name="ByKey">Per virtual key, keyed by the key's hash (the proxy never returns keys).</param>
/// <param name="ByTag">Per tag (<c>/tag/daily/activity</c> only).</param>
public sealed record LiteLlmSpendDay(
    DateOnly Date,
    LiteLlmSpend Total,
    IReadOnlyDictionary<string, LiteLlmSpend> ByModelGroup,
    IReadOnlyDictionary<string, LiteLlmSpend> ByModel,
    IReadOnlyDictionary<string, LiteLlmSpend> ByKey,
    IReadOnlyDictionary<string, LiteLlmSpend> ByTag);

/// <summary>Filters of <see cref="LiteLlmProxyClient.GetDailyActivityAsync"/>.</summary>
public sealed class LiteLlmSpendFilter
{
    /// <summary>Only this model (group).</summary>
    public string? Model { get; init; }

    /// <summary>Only this virtual key (sent as its hash, never as the key).</summary>
    public string? VirtualKey { get; init; }

    /// <summary>Only this proxy user.</summary>
    public string? UserId { get; init; }
}

/// <summary>A virtual key to create (<c>POST /key/generate</c>; https://docs.litellm.ai/docs/proxy/virtual_keys).</summary>
public sealed class LiteLlmKeyRequest
{
    /// <summary>The most the key may spend, in USD (<c>max_budget</c>); null: no limit.</summary>
    public decimal? MaxBudgetUsd { get; init; }

    /// <summary>How often the spend resets (<c>budget_duration</c>): <c>30s</c>, <c>30m</c>, <c>30h</c>, <c>30d</c>, <c>1mo</c>.</summary>
    public string? BudgetDuration { get; init; }

    /// <summary>How long the key is valid (<c>duration</c>), same format; null: no expiry.</summary>
    public string? Duration { get; init; }

    /// <summary>The model groups the key may call (<c>models</c>); empty: all.</summary>
    public IReadOnlyList<string> Models { get; init; } = [];

    /// <summary>Metadata stored with the key (<c>metadata</c>).</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>A name for the key (<c>key_alias</c>).</summary>
    public string? KeyAlias { get; init; }
}

/// <summary>A virtual key just created: <see cref="Key"/> is shown by the proxy this once. <see cref="ToString"/> never
/// includes it.</summary>
public sealed class LiteLlmVirtualKey
{
    internal LiteLlmVirtualKey(string key, string? keyAlias, DateTimeOffset? expires, decimal? maxBudgetUsd, string? budgetDuration, IReadOnlyList<string> models)
    {
        Key = key;
        KeyAlias = keyAlias;
        Expires = expires;
        MaxBudgetUsd = maxBudgetUsd;
        BudgetDuration = budgetDuration;
        Models = models;
    }

    /// <summary>The key (a secret: give it to its user once; never log or store it).</summary>
    public string Key { get; }

    /// <summary>Its name.</summary>
    public string? KeyAlias { get; }

    /// <summary>When it expires; null: never.</summary>
    public DateTimeOffset? Expires { get; }

    /// <summary>Its budget in USD.</summary>
    public decimal? MaxBudgetUsd { get; }

    /// <summary>How often its spend resets.</summary>
    public string? BudgetDuration { get; }

    /// <summary>The model groups it may call; empty: all.</summary>
    public IReadOnlyList<string> Models { get; }

    /// <summary>Its description, without the key.</summary>
    public override string ToString() => $"virtual key {KeyAlias ?? "(no alias)"} (key not shown)";
}

/// <summary>A virtual key as the proxy knows it (<c>GET /key/info</c>).</summary>
/// <param name="KeyAlias">Its name.</param>
/// <param name="SpendUsd">What it has spent.</param>
/// <param name="MaxBudgetUsd">Its budget; null: none.</param>
/// <param name="BudgetDuration">How often the spend resets.</param>
/// <param name="BudgetResetAt">When it next resets.</param>
/// <param name="Expires">When the key expires; null: never.</param>
/// <param name="Models">The model groups it may call; empty: all.</param>
public sealed record LiteLlmKeyInfo(string? KeyAlias, decimal SpendUsd, decimal? MaxBudgetUsd, string? BudgetDuration, DateTimeOffset? BudgetResetAt, DateTimeOffset? Expires, IReadOnlyList<string> Models);
