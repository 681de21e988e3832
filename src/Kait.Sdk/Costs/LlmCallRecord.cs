namespace Kait.Sdk.Costs;

/// <summary>
/// One ledger row: one LLM call, whatever its outcome. A cache hit is recorded too (the tracker stores it with cost 0
/// and source <c>cache</c>), and so is a failure (with <see cref="Status"/>, <see cref="ErrorType"/> and
/// <see cref="HttpStatus"/>). Never put a key or a prompt in any field.
/// </summary>
public sealed record LlmCallRecord
{
    /// <summary>When the call started, UTC.</summary>
    public required DateTimeOffset TimestampUtc { get; init; }

    /// <summary>The alias the call named (<c>claude-fast</c>).</summary>
    public required string Alias { get; init; }

    /// <summary>The model that answered (<c>anthropic/claude-haiku-4-5-20251001</c>); null when none did.</summary>
    public string? ProviderModel { get; init; }

    /// <summary>How the call went: <c>proxy</c>, <c>direct</c>, or whatever route names the gateway uses.</summary>
    public string? Route { get; init; }

    /// <summary>The LiteLLM call id (<c>x-litellm-call-id</c>) or the provider's response id.</summary>
    public string? CallId { get; init; }

    /// <summary>The normalised token usage.</summary>
    public LlmUsage Usage { get; init; } = LlmUsage.Empty;

    /// <summary>The cost in USD; null when unknown.</summary>
    public decimal? CostUsd { get; init; }

    /// <summary>Where <see cref="CostUsd"/> came from.</summary>
    public CostSource CostSource { get; init; }

    /// <summary>The answer came from a cache.</summary>
    public bool CacheHit { get; init; }

    /// <summary>Wall time of the call, retries included.</summary>
    public TimeSpan Latency { get; init; }

    /// <summary>HTTP attempts made (1 without retries; 0 when refused before any request).</summary>
    public int Attempts { get; init; } = 1;

    /// <summary>How the call ended.</summary>
    public LlmCallStatus Status { get; init; }

    /// <summary>The error's type (an exception type or LiteLLM's <c>error.type</c>) when the call failed.</summary>
    public string? ErrorType { get; init; }

    /// <summary>The HTTP status of the last answer, when a server answered.</summary>
    public int? HttpStatus { get; init; }

    /// <summary>The call's spend tags (<see cref="LlmCallOptions.Tags"/>); null when none.</summary>
    public IReadOnlyList<string>? Tags { get; init; }

    /// <summary>This row with its cost set from <paramref name="cost"/>.</summary>
    /// <param name="cost">A calculator's result.</param>
    public LlmCallRecord WithCost(CostResult cost) => this with { CostUsd = cost.CostUsd, CostSource = cost.Source };
}
