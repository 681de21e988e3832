using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kait.Sdk.Costs;

/// <summary>
/// Puts a conservative number on a call whose cost is not known: what a budget reserves before a call is sent, and what
/// is booked for an attempt that may have been billed or (with a budget set) for an answer nothing could price. Never
/// 0 for a call that uses tokens: a model with no price (and a call with no deployment at all) is priced at
/// <see cref="UnknownModelPrice"/>.
/// </summary>
internal sealed partial class CostEstimator
{
    /// <summary>How many models the "no price" warning remembers (each is logged once).</summary>
    private const int MaxWarnedModels = 256;

    private readonly ICostCalculator calculator;
    private readonly ILogger logger;
    private readonly ConcurrentDictionary<string, byte> warned = new(StringComparer.Ordinal);

    /// <summary>Creates the estimator.</summary>
    /// <param name="calculator">Prices the models it knows.</param>
    /// <param name="logger">Logs, once per model, that a model without a price is estimated at <see cref="UnknownModelPrice"/>.</param>
    public CostEstimator(ICostCalculator calculator, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(calculator);
        this.calculator = calculator;
        this.logger = logger ?? NullLogger.Instance;
    }

    /// <summary>
    /// The price of a model Kait has no price for: 15 USD per million input tokens and 75 per million output tokens
    /// (Claude Opus 4's list price, the dearest general chat model; three times Kait's dearest built-in model), cached
    /// reads at the full input rate and cache writes at 1.25 times it. Deliberately high: a budget must not
    /// under-count a call it cannot price; give the model a price (<c>input_cost_per_token</c> and
    /// <c>output_cost_per_token</c> in the config, or <c>KAIT_PRICE_MAP</c>) to count it exactly.
    /// </summary>
    public static ModelPrice UnknownModelPrice { get; } = new(0.000015m, 0.000075m, 0.000015m, 0.00001875m);

    /// <summary>
    /// The estimated cost of <paramref name="usage"/> on <paramref name="deployment"/>: the calculator's price when it
    /// knows the model (and the result is plausible), else <see cref="UnknownModelPrice"/>; at most
    /// <see cref="CostSanity.MaxCallCostUsd"/>.
    /// </summary>
    /// <param name="deployment">The deployment the call goes to; null when the alias has none.</param>
    /// <param name="usage">The tokens: a guess before the call (prompt and <c>max_tokens</c>), the real usage after.</param>
    public decimal Estimate(ModelDeployment? deployment, LlmUsage usage)
    {
        ArgumentNullException.ThrowIfNull(usage);
        if (deployment is not null)
        {
            var priced = calculator.Calculate(deployment, usage);
            if (priced.Source != CostSource.Unknown && priced.CostUsd is { } usd && CostSanity.IsPlausible(usd))
            {
                return usd;
            }
        }

        var model = deployment?.Model ?? "(no deployment)";
        if (warned.Count < MaxWarnedModels && warned.TryAdd(model, 0))
        {
            LogUnknownPrice(logger, model, UnknownModelPrice.InputCostPerToken * 1_000_000m, UnknownModelPrice.OutputCostPerToken * 1_000_000m);
        }

        return Math.Min(UnknownModelPrice.Cost(usage), CostSanity.MaxCallCostUsd);
    }

    [LoggerMessage(EventId = 4131, Level = LogLevel.Warning, Message = "No price is known for '{Model}': where its cost must be estimated (budgets, calls that may have been billed) it counts at {InputPerMillion} USD per million input tokens and {OutputPerMillion} per million output tokens. Set input_cost_per_token and output_cost_per_token for it in the config (or KAIT_PRICE_MAP) to count it exactly.")]
    private static partial void LogUnknownPrice(ILogger logger, string model, decimal inputPerMillion, decimal outputPerMillion);
}
