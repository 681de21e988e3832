namespace Kait.Sdk.Pipeline;

/// <summary>What a call asks for.</summary>
internal enum CallKind
{
    /// <summary>A whole chat reply.</summary>
    Chat,

    /// <summary>A streamed chat reply.</summary>
    Stream,

    /// <summary>Embeddings of texts.</summary>
    Embeddings,
}

/// <summary>The wire API a target speaks.</summary>
internal enum WireApi
{
    /// <summary>The LiteLLM proxy (OpenAI's chat completions and embeddings, plus LiteLLM's fields and headers).</summary>
    Proxy,

    /// <summary>Anthropic's Messages API.</summary>
    Anthropic,

    /// <summary>OpenAI's chat completions and embeddings.</summary>
    OpenAI,
}

/// <summary>
/// One call, decided once by <see cref="CallPlanner"/>: what was asked, the target it goes to (route, base URL,
/// credential, the exact request bytes) and how to find the fallback. Stages read it; the only state they write is the
/// attempt count, the fallback switch and the accounting scope, each by the stage named.
/// </summary>
internal sealed class LlmCall
{
    private readonly Func<LlmCall, CallTarget?>? fallback;

    public LlmCall(CallKind kind, ModelAlias alias, LlmCallOptions options, CallTarget target, Func<LlmCall, CallTarget?>? fallback)
    {
        Kind = kind;
        Alias = alias;
        Options = options;
        Target = target;
        Primary = target;
        this.fallback = fallback;
    }

    public CallKind Kind { get; }

    /// <summary>The alias (as the catalogue defines it).</summary>
    public ModelAlias Alias { get; }

    public LlmCallOptions Options { get; }

    /// <summary>The chat (empty for embeddings); the budget estimate reads it.</summary>
    public IReadOnlyList<LlmMessage> Messages { get; init; } = [];

    /// <summary>The texts of an embeddings call.</summary>
    public IReadOnlyList<string> Inputs { get; init; } = [];

    /// <summary>Where the call was decided to go: its request is the cache key's.</summary>
    public CallTarget Primary { get; }

    /// <summary>Where the call goes now: <see cref="Primary"/>, or the fallback the route stage switched to.</summary>
    public CallTarget Target { get; private set; }

    /// <summary>Requests sent upstream so far, fallback included (counted by the resilience stage).</summary>
    public int Attempts { get; set; }

    /// <summary>The accounting stage's scope: the route stage reserves the budget through it before the first upstream
    /// request (a cache hit never reserves).</summary>
    public AccountingStage.Scope? Books { get; set; }

    /// <summary>True when the call could still switch to a fallback target (the proxy route with fallback on).</summary>
    public bool MayFallBack => fallback is not null && Target == Primary;

    /// <summary>Switches to the direct target when the proxy could not be reached; false when there is none.</summary>
    public bool TrySwitchToFallback()
    {
        if (Target != Primary || fallback?.Invoke(this) is not { } target)
        {
            return false;
        }

        Target = target;
        return true;
    }
}

/// <summary>Where a call goes and exactly what is sent there.</summary>
internal sealed class CallTarget
{
    public required LlmRoute Route { get; init; }

    public required WireApi Api { get; init; }

    /// <summary>The upstream's name in messages and logs (<c>the LiteLLM proxy</c>, <c>anthropic</c>, <c>openai</c>).</summary>
    public required string Upstream { get; init; }

    public required Uri BaseUrl { get; init; }

    /// <summary>The key sent to <see cref="BaseUrl"/> only: the proxy's virtual or master key, or the provider key.
    /// Never logged, stored or cached (the cache key takes it behind the install's salt).</summary>
    public string? Credential { get; init; }

    /// <summary>The provider, when known.</summary>
    public string? Provider { get; init; }

    /// <summary>The deployment priced from, when known.</summary>
    public ModelDeployment? Deployment { get; init; }

    /// <summary>The request body, serialized once: the bytes sent.</summary>
    public required ReadOnlyMemory<byte> Body { get; init; }

    /// <summary>The same request without the fields that only say how the answer is delivered (see
    /// <see cref="CallPlanner"/>): what the cache key hashes. The same bytes as <see cref="Body"/> when there are none.</summary>
    public required ReadOnlyMemory<byte> KeyBody { get; init; }

    /// <summary>The caller's extra headers (never a credential; checked when planned).</summary>
    public required IDictionary<string, string> Headers { get; init; }

    /// <summary>Anthropic: the forced tool whose input is the structured reply, or null.</summary>
    public string? StructuredTool { get; init; }

    /// <inheritdoc />
    public override string ToString() => Upstream + " at " + BaseUrl; // never the credential
}
