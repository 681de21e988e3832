using System.Collections.Frozen;

namespace Kait.Sdk.Costs;

/// <summary>
/// The prices Kait carries for the models of its default aliases (<see cref="DefaultAliases"/>), as plain facts
/// taken from LiteLLM's price map. Anything else is priced by the config, the proxy or <c>KAIT_PRICE_MAP</c>.
/// </summary>
public static class BuiltInPrices
{
    private static readonly FrozenDictionary<string, ModelPrice> Prices = new Dictionary<string, ModelPrice>(StringComparer.Ordinal)
    {
        ["claude-sonnet-4-20250514"] = new(0.000003m, 0.000015m, 0.0000003m, 0.00000375m),
        ["claude-haiku-4-5-20251001"] = new(0.000001m, 0.000005m, 0.0000001m, 0.00000125m),
        ["claude-opus-4-6"] = new(0.000005m, 0.000025m, 0.0000005m, 0.00000625m),
        ["gpt-4o"] = new(0.0000025m, 0.00001m, 0.00000125m),
        ["gpt-4o-mini"] = new(0.00000015m, 0.0000006m, 0.000000075m),
        ["gemini/gemini-2.0-flash"] = new(0.0000001m, 0.0000004m, 0.000000025m),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The models priced here, by their price-map names.</summary>
    public static IEnumerable<string> Models => Prices.Keys;

    /// <summary>Looks a model up by its full name (<c>gemini/gemini-2.0-flash</c>), then without its provider prefix (<c>gpt-4o</c>).</summary>
    /// <param name="model">The model name, with or without provider prefix.</param>
    /// <param name="price">Its prices.</param>
    public static bool TryGet(string model, out ModelPrice price) => ModelNames.TryLookup(Prices, model, out price);
}
