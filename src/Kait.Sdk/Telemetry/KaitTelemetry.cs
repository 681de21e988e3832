using System.Diagnostics;
using System.Diagnostics.Metrics;
using Kait.Sdk.Costs;

namespace Kait.Sdk.Telemetry;

/// <summary>
/// Kait's OpenTelemetry instruments: the <see cref="ActivitySource"/> <c>Kait.Sdk</c> (one client span per call, with
/// the <c>gen_ai.*</c> attributes plus <c>kait.cost_usd</c> and <c>kait.route</c>) and the <see cref="Meter"/>
/// <c>Kait.Sdk</c> with three counters: <c>kait.llm.calls</c>, <c>kait.llm.tokens</c> (tagged <c>gen_ai.token.type</c>
/// <c>input</c>/<c>output</c>) and <c>kait.llm.cost</c> (USD, calls of known cost only). Subscribe with
/// <c>AddSource("Kait.Sdk")</c> and <c>AddMeter("Kait.Sdk")</c>.
/// </summary>
internal sealed class KaitTelemetry : IDisposable
{
    /// <summary>The name of the activity source and of the meter.</summary>
    public const string Name = "Kait.Sdk";

    private static readonly ActivitySource Source = new(Name, typeof(KaitTelemetry).Assembly.GetName().Version?.ToString());

    private readonly Meter meter;
    private readonly bool ownsMeter;
    private readonly Counter<long> calls;
    private readonly Counter<long> tokens;
    private readonly Counter<double> cost;

    /// <summary>Creates the instruments.</summary>
    /// <param name="meterFactory">The host's meter factory (DI); null: a meter of Kait's own, disposed with this.</param>
    public KaitTelemetry(IMeterFactory? meterFactory = null)
    {
        ownsMeter = meterFactory is null;
        meter = meterFactory?.Create(Name) ?? new Meter(Name);
        calls = meter.CreateCounter<long>("kait.llm.calls", "{call}", "LLM calls, failures and cache hits included.");
        tokens = meter.CreateCounter<long>("kait.llm.tokens", "{token}", "LLM tokens, by gen_ai.token.type (input includes cached reads).");
        cost = meter.CreateCounter<double>("kait.llm.cost", "USD", "LLM spend of calls whose cost is known.");
    }

    /// <summary>The activity source <c>Kait.Sdk</c>.</summary>
    public static ActivitySource ActivitySource => Source;

    /// <summary>Starts a client span for a call (null when nobody listens).</summary>
    /// <param name="alias">The alias called.</param>
    /// <param name="deployment">The deployment about to be called, when known (gives <c>gen_ai.system</c> and <c>gen_ai.request.model</c>).</param>
    /// <param name="route">The route (<c>proxy</c>, <c>direct</c>).</param>
    public LlmCallSpan StartCall(string alias, ModelDeployment? deployment = null, string? route = null)
    {
        ArgumentNullException.ThrowIfNull(alias);
        var requestModel = deployment?.ProviderModel ?? alias;
        var activity = Source.HasListeners() ? Source.StartActivity("chat " + requestModel, ActivityKind.Client) : null;
        if (activity is not null)
        {
            activity.SetTag("gen_ai.operation.name", "chat");
            activity.SetTag("gen_ai.system", SystemName(deployment?.Provider));
            activity.SetTag("gen_ai.request.model", requestModel);
            activity.SetTag("kait.alias", alias);
            activity.SetTag("kait.route", route);
        }

        return new LlmCallSpan(this, activity);
    }

    /// <summary>Counts a finished call in the meters (<see cref="LlmCallSpan.Complete"/> does this for you).</summary>
    /// <param name="record">The call.</param>
    public void RecordMetrics(LlmCallRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var tags = new TagList
        {
            { "kait.alias", record.Alias },
            { "gen_ai.response.model", record.ProviderModel },
            { "kait.route", record.Route },
            { "kait.status", record.Status.ToWireName() },
        };
        calls.Add(1, tags);
        var input = tags;
        input.Add("gen_ai.token.type", "input");
        tokens.Add(record.Usage.InputTokens + record.Usage.CacheCreationInputTokens, input);
        var output = tags;
        output.Add("gen_ai.token.type", "output");
        tokens.Add(record.Usage.OutputTokens, output);
        if (record.CostUsd is { } usd)
        {
            cost.Add((double)usd, tags);
        }
    }

    /// <summary>Disposes the meter when it is Kait's own.</summary>
    public void Dispose()
    {
        if (ownsMeter)
        {
            meter.Dispose();
        }
    }

    /// <summary>OpenTelemetry's <c>gen_ai.system</c> for a LiteLLM provider.</summary>
    /// <param name="provider">The LiteLLM provider (<c>anthropic</c>, <c>gemini</c>, ...).</param>
    public static string? SystemName(string? provider) => provider switch
    {
        null or "" => null,
        "gemini" => "gcp.gemini",
        "vertex_ai" => "gcp.vertex_ai",
        "bedrock" => "aws.bedrock",
        "azure" => "az.ai.openai",
        "azure_ai" => "az.ai.inference",
        "mistral" => "mistral_ai",
        _ => provider,
    };
}
