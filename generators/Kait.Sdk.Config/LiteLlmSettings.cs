namespace Kait.Sdk.Config;

/// <summary>The proxy-wide settings Kait cares about (<c>litellm_settings</c>, <c>router_settings</c>, <c>general_settings</c>).</summary>
internal sealed record LiteLlmSettings
{
    /// <summary><c>litellm_settings.num_retries</c>, else <c>router_settings.num_retries</c>.</summary>
    public int? NumRetries { get; init; }

    /// <summary><c>litellm_settings.cache</c>.</summary>
    public bool CacheEnabled { get; init; }

    /// <summary><c>litellm_settings.cache_params.type</c> (<c>local</c>, <c>redis</c>, ...).</summary>
    public string? CacheType { get; init; }

    /// <summary><c>litellm_settings.cache_params.ttl</c> in seconds.</summary>
    public double? CacheTtlSeconds { get; init; }

    /// <summary><c>litellm_settings.request_timeout</c>, else <c>router_settings.timeout</c>, in seconds.</summary>
    public double? RequestTimeoutSeconds { get; init; }

    /// <summary>The variable named by <c>general_settings.master_key: os.environ/NAME</c>.</summary>
    public string? MasterKeyVariable { get; init; }
}
