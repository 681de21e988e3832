using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Kait.Sdk.Costs;

/// <summary>
/// The default <see cref="ICostCalculator"/>: proxy header, then config prices, then the <c>KAIT_PRICE_MAP</c> map
/// (read once, on first need; a map that cannot be read is logged and skipped), then built-in prices, else unknown.
/// A header of <c>0</c> for a call that used tokens is known to be wrong on some proxy routes (LiteLLM #26475): the
/// other sources are asked first and the header's 0 is kept only when none prices the model.
/// <para>Nothing implausible is believed (<see cref="CostSanity"/>): a header that is negative or above 10,000 USD, a
/// config price that is negative or above 0.001 USD a token (logged once per model), a price-map entry above that bound
/// (left out when the map is read), or a result above 10,000 USD for one call; the next source is asked instead.</para>
/// </summary>
internal sealed partial class DefaultCostCalculator : ICostCalculator
{
    private readonly Lazy<LiteLlmPriceMap?> priceMap;
    private readonly ILogger logger;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> warnedConfigPrices = new(StringComparer.Ordinal);

    /// <summary>Creates the calculator; the price map is <see cref="KaitCostOptions.PriceMapPath"/>.</summary>
    /// <param name="options">The options.</param>
    /// <param name="logger">Logs a price map that cannot be read.</param>
    public DefaultCostCalculator(IOptions<KaitCostOptions> options, ILogger<DefaultCostCalculator>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var path = options.Value.PriceMapPath;
        var log = (ILogger?)logger ?? NullLogger.Instance;
        this.logger = log;
        priceMap = new Lazy<LiteLlmPriceMap?>(() => LoadPriceMap(path, log), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>Creates the calculator with a price map already read (or none).</summary>
    /// <param name="priceMap">The map, or null.</param>
    public DefaultCostCalculator(LiteLlmPriceMap? priceMap)
    {
        this.priceMap = new Lazy<LiteLlmPriceMap?>(priceMap);
        logger = NullLogger.Instance;
    }

    /// <inheritdoc />
    public CostResult Calculate(ModelDeployment deployment, LlmUsage usage, string? proxyCostHeader = null)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        var hasHeader = ProxyCostHeader.TryParse(proxyCostHeader, out var headerCost);
        if (hasHeader && (headerCost > 0m || usage.TotalTokens == 0))
        {
            return new CostResult(headerCost, CostSource.ProxyHeader);
        }

        if (ModelPrice.TryFromDeployment(deployment, out var configPrice))
        {
            if (!CostSanity.IsPlausible(configPrice))
            {
                if (warnedConfigPrices.Count < 256 && warnedConfigPrices.TryAdd(deployment.Model, 0))
                {
                    LogImplausibleConfigPrice(logger, deployment.Model, configPrice.InputCostPerToken, configPrice.OutputCostPerToken);
                }
            }
            else if (Plausible(configPrice.Cost(usage), CostSource.ConfigPrice) is { } fromConfig)
            {
                return fromConfig;
            }
        }

        if (priceMap.Value is { } map)
        {
            foreach (var name in ModelNames.Candidates(deployment))
            {
                if (map.TryGet(name, out var mapPrice) && Plausible(mapPrice.Cost(usage), CostSource.PriceMap) is { } fromMap)
                {
                    return fromMap;
                }
            }
        }

        foreach (var name in ModelNames.Candidates(deployment))
        {
            if (BuiltInPrices.TryGet(name, out var builtIn) && Plausible(builtIn.Cost(usage), CostSource.BuiltIn) is { } fromBuiltIn)
            {
                return fromBuiltIn;
            }
        }

        return hasHeader ? new CostResult(headerCost, CostSource.ProxyHeader) : CostResult.Unknown;
    }

    /// <summary>The cost when one call may cost that much (<see cref="CostSanity.MaxCallCostUsd"/>), else null.</summary>
    private static CostResult? Plausible(decimal cost, CostSource source) => CostSanity.IsPlausible(cost) ? new CostResult(cost, source) : null;

    private static LiteLlmPriceMap? LoadPriceMap(string? path, ILogger logger)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return null;
        }

        try
        {
            var map = LiteLlmPriceMap.Load(path);
            LogPriceMapLoaded(logger, path, map.Count);
            return map;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
        {
            LogPriceMapUnreadable(logger, path, ex.Message, ex);
            return null;
        }
    }

    [LoggerMessage(EventId = 4103, Level = LogLevel.Error, Message = "The config prices '{Model}' at {Input} USD per input token and {Output} per output token: not plausible (negative, or above 0.001 USD a token: a price per million tokens given per token?). The price is ignored; other sources are asked.")]
    private static partial void LogImplausibleConfigPrice(ILogger logger, string model, decimal input, decimal output);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Debug, Message = "Read the price map {Path}: {Count} models priced per token.")]
    private static partial void LogPriceMapLoaded(ILogger logger, string path, int count);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Error, Message = "The price map {Path} (KAIT_PRICE_MAP) cannot be read: {Reason}. Costs fall back to built-in prices or 'unknown'.")]
    private static partial void LogPriceMapUnreadable(ILogger logger, string path, string reason, Exception exception);
}
