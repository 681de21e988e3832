namespace Kait.Sdk;

/// <summary>The rate-limit state a server reported with its answer: the proxy's and OpenAI's <c>x-ratelimit-*</c>,
/// Anthropic's <c>anthropic-ratelimit-*</c>. A field is null when the server did not say.</summary>
public sealed record LlmRateLimits
{
    /// <summary>Requests allowed in the window (<c>x-ratelimit-limit-requests</c>).</summary>
    public long? LimitRequests { get; init; }

    /// <summary>Requests left in the window (<c>x-ratelimit-remaining-requests</c>).</summary>
    public long? RemainingRequests { get; init; }

    /// <summary>Until the request window resets (<c>x-ratelimit-reset-requests</c>: a duration such as <c>6m0s</c>, or
    /// Anthropic's reset time).</summary>
    public TimeSpan? ResetRequests { get; init; }

    /// <summary>Tokens allowed in the window (<c>x-ratelimit-limit-tokens</c>).</summary>
    public long? LimitTokens { get; init; }

    /// <summary>Tokens left in the window (<c>x-ratelimit-remaining-tokens</c>).</summary>
    public long? RemainingTokens { get; init; }

    /// <summary>Until the token window resets (<c>x-ratelimit-reset-tokens</c>).</summary>
    public TimeSpan? ResetTokens { get; init; }
}

/// <summary>Which deployment the LiteLLM proxy used (its <c>x-litellm-*</c> headers); null fields were not sent.</summary>
public sealed record LlmServedBy
{
    /// <summary><c>x-litellm-model-id</c>: the deployment's id.</summary>
    public string? ModelId { get; init; }

    /// <summary><c>x-litellm-model-group</c>: the model group (alias) that served.</summary>
    public string? ModelGroup { get; init; }

    /// <summary><c>x-litellm-model-api-base</c>: the upstream's base URL (without user info or query).</summary>
    public string? ApiBase { get; init; }

    /// <summary><c>x-litellm-response-duration-ms</c>: how long the proxy took.</summary>
    public TimeSpan? ResponseDuration { get; init; }
}
