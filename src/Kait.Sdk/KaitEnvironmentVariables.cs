namespace Kait.Sdk;

/// <summary>The environment variables Kait reads.</summary>
public static class KaitEnvironmentVariables
{
    /// <summary><c>KAIT_LITELLM_ENABLED</c>: true sends calls through the proxy.</summary>
    public const string LiteLlmEnabled = "KAIT_LITELLM_ENABLED";

    /// <summary><c>KAIT_LITELLM_PORT</c>: the proxy's port on 127.0.0.1.</summary>
    public const string LiteLlmPort = "KAIT_LITELLM_PORT";

    /// <summary><c>KAIT_LITELLM_URL</c>: the proxy's whole base URL.</summary>
    public const string LiteLlmUrl = "KAIT_LITELLM_URL";

    /// <summary><c>KAIT_LITELLM_MASTER_KEY</c>: the proxy's key.</summary>
    public const string LiteLlmMasterKey = "KAIT_LITELLM_MASTER_KEY";

    /// <summary><c>KAIT_LITELLM_FALLBACK</c>: false turns off the direct fallback when the proxy is down.</summary>
    public const string LiteLlmFallback = "KAIT_LITELLM_FALLBACK";

    /// <summary><c>KAIT_LITELLM_CLAUDE_MODEL</c>: the alias behind <c>gateway.Claude</c>.</summary>
    public const string ClaudeModel = "KAIT_LITELLM_CLAUDE_MODEL";

    /// <summary><c>KAIT_LITELLM_OPENAI_MODEL</c>: the alias behind <c>gateway.OpenAI</c>.</summary>
    public const string OpenAIModel = "KAIT_LITELLM_OPENAI_MODEL";

    /// <summary><c>KAIT_ANTHROPIC_VERSION</c>: the <c>anthropic-version</c> of calls straight to Anthropic (default 2026-10-21).</summary>
    public const string AnthropicVersion = "KAIT_ANTHROPIC_VERSION";

    /// <summary><c>KAIT_HOME</c>: the root of Kait's files.</summary>
    public const string Home = "KAIT_HOME";

    /// <summary><c>KAIT_CONFIG</c>: the LiteLLM config read at run time.</summary>
    public const string Config = "KAIT_CONFIG";

    /// <summary><c>KAIT_RETRIES</c>: retries after a failed attempt (default 2).</summary>
    public const string Retries = "KAIT_RETRIES";

    /// <summary><c>KAIT_TIMEOUT</c>: a call's total timeout in seconds (default 300).</summary>
    public const string Timeout = "KAIT_TIMEOUT";

    /// <summary><c>KAIT_ATTEMPT_TIMEOUT</c>: one attempt's timeout in seconds (default 120).</summary>
    public const string AttemptTimeout = "KAIT_ATTEMPT_TIMEOUT";

    /// <summary><c>KAIT_CACHE_TTL</c>: the response cache's TTL in seconds (default 300; 0 turns the cache off).</summary>
    public const string CacheTtl = "KAIT_CACHE_TTL";

    /// <summary><c>KAIT_CACHE_L2</c>: <c>off</c> keeps the response cache in memory only.</summary>
    public const string CacheL2 = "KAIT_CACHE_L2";

    /// <summary><c>KAIT_REDIS_URL</c>: a Redis connection string for a shared response cache.</summary>
    public const string RedisUrl = "KAIT_REDIS_URL";

    /// <summary><c>KAIT_PRICE_MAP</c>: a LiteLLM-format price map (JSON) used before the built-in prices.</summary>
    public const string PriceMap = "KAIT_PRICE_MAP";

    /// <summary><c>KAIT_BUDGET_DAILY_USD</c>: the UTC day's spending limit in USD.</summary>
    public const string BudgetDailyUsd = "KAIT_BUDGET_DAILY_USD";

    /// <summary><c>KAIT_BUDGET_MONTHLY_USD</c>: the UTC month's spending limit in USD.</summary>
    public const string BudgetMonthlyUsd = "KAIT_BUDGET_MONTHLY_USD";

    /// <summary><c>KAIT_PYTHON</c>: the Python interpreter that runs the supervised proxy.</summary>
    public const string Python = "KAIT_PYTHON";

    /// <summary><c>ANTHROPIC_BASE_URL</c>: Anthropic's base (requests go to <c>{base}/v1/messages</c>).</summary>
    public const string AnthropicBaseUrl = "ANTHROPIC_BASE_URL";

    /// <summary><c>OPENAI_BASE_URL</c>: OpenAI's base, with <c>/v1</c> (requests go to <c>{base}/chat/completions</c>).</summary>
    public const string OpenAIBaseUrl = "OPENAI_BASE_URL";

    /// <summary><c>ANTHROPIC_API_KEY</c>: Anthropic's key when a deployment names none.</summary>
    public const string AnthropicApiKey = "ANTHROPIC_API_KEY";

    /// <summary><c>OPENAI_API_KEY</c>: OpenAI's key when a deployment names none.</summary>
    public const string OpenAIApiKey = "OPENAI_API_KEY";
}
