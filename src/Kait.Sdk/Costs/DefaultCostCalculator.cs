using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Kait.Sdk.Costs;

/// <summary>
/// The default <see cref="ICostCalculator"/>: proxy header, then config prices, then the <c>KAIT_PRICE_MAP</c> map
/// (read once, on first need; a map that cannot be read is logged and skipped), then built-in prices, else unknown.
/// A header of <c>0</c> for a call that used tokens is known to be wrong on some proxy routes (LiteLLM #26475): the
/// other sources are asked first and the header's 0 is kept only when none prices the model.
/// </summary>
public sealed partial class DefaultCostCalculator : ICostCalculator
{
    private readonly Lazy<LiteLlmPriceMap?> priceMap;

    /// <summary>Creates the calculator; the price map is <see cref="KaitCostOptions.PriceMapPath"/>.</summary>
    /// <param name="options">The options.</param>
    /// <param name="logger">Logs a price map that cannot be read.</param>
    public DefaultCostCalculator(IOptions<KaitCostOptions> options, ILogger<DefaultCostCalculator>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var path = options.Value.PriceMapPath;
        var log = (ILogger?)logger ?? NullLogger.Instance;
        priceMap = new Lazy<LiteLlmPriceMap?>(() => LoadPriceMap(path, log), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>Creates the calculator with a price map already read (or none).</summary>
    /// <param name="priceMap">The map, or null.</param>
    public DefaultCostCalculator(LiteLlmPriceMap? priceMap)
        => this.priceMap = new Lazy<LiteLlmPriceMap?>(priceMap);

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
            return new CostResult(configPrice.Cost(usage), CostSource.ConfigPrice);
        }

        if (priceMap.Value is { } map)
        {
            foreach (var name in ModelNames.Candidates(deployment))
            {
                if (map.TryGet(name, out var mapPrice))
                {
                    return new CostResult(mapPrice.Cost(usage), CostSource.PriceMap);
                }
            }
        }

        foreach (var name in ModelNames.Candidates(deployment))
        {
            if (BuiltInPrices.TryGet(name, out var builtIn))
            {
                return new CostResult(builtIn.Cost(usage), CostSource.BuiltIn);
            }
        }

        return hasHeader ? new CostResult(headerCost, CostSource.ProxyHeader) : CostResult.Unknown;
    }

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

    [LoggerMessage(EventId = 4101, Level = LogLevel.Debug, Message = "Read the price map {Path}: {Count} models priced per token.")]
    private static partial void LogPriceMapLoaded(ILogger logger, string path, int count);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Error, Message = "The price map {Path} (KAIT_PRICE_MAP) cannot be read: {Reason}. Costs fall back to built-in prices or 'unknown'.")]
    private static partial void LogPriceMapUnreadable(ILogger logger, string path, string reason, Exception exception);
}
