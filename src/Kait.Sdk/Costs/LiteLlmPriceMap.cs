using System.Collections.Frozen;
using System.Text.Json;

namespace Kait.Sdk.Costs;

/// <summary>
/// A price map in LiteLLM's format (<c>model_prices_and_context_window.json</c>): an object whose keys are model names
/// (<c>gpt-4o</c>, <c>gemini/gemini-2.0-flash</c>) and whose values carry <c>input_cost_per_token</c>,
/// <c>output_cost_per_token</c>, <c>cache_read_input_token_cost</c> and <c>cache_creation_input_token_cost</c>.
/// Read with <see cref="Utf8JsonReader"/> (no reflection); entries without both token prices (images, audio, ...),
/// entries with a price above 0.001 USD a token (data errors: LiteLLM's own map has a few priced per thousand or per
/// million tokens) and the <c>sample_spec</c> entry are left out. The same pass reads each entry's capability flags
/// (<c>supports_response_schema</c>, <c>supports_native_structured_output</c>, <c>supports_reasoning</c>,
/// <c>supports_prompt_caching</c>) for <see cref="ModelCapabilityCatalog"/>: one reader of the file for both.
/// </summary>
public sealed class LiteLlmPriceMap
{
    /// <summary>The largest map read (LiteLLM's own is about 1.5 MB): a bigger file is an <see cref="IOException"/>.</summary>
    internal const long MaxFileBytes = 64L * 1024 * 1024;

    private readonly FrozenDictionary<string, ModelPrice> prices;
    private readonly FrozenDictionary<string, ModelCapabilities> capabilities;

    private LiteLlmPriceMap(FrozenDictionary<string, ModelPrice> prices, FrozenDictionary<string, ModelCapabilities> capabilities)
    {
        this.prices = prices;
        this.capabilities = capabilities;
    }

    /// <summary>How many models the map prices per token.</summary>
    public int Count => prices.Count;

    /// <summary>Reads the map at <paramref name="path"/>.</summary>
    /// <param name="path">The JSON file.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="JsonException">The file is not a LiteLLM price map.</exception>
    public static async Task<LiteLlmPriceMap> LoadAsync(string path, CancellationToken cancellationToken = default)
    {
        var file = File.OpenRead(path);
        await using (file.ConfigureAwait(false))
        {
            var bytes = new byte[CheckedLength(file)];
            await file.ReadExactlyAsync(bytes, cancellationToken).ConfigureAwait(false);
            return Parse(bytes);
        }
    }

    /// <summary>Reads the map at <paramref name="path"/>.</summary>
    /// <param name="path">The JSON file.</param>
    /// <exception cref="JsonException">The file is not a LiteLLM price map.</exception>
    public static LiteLlmPriceMap Load(string path)
    {
        using var file = File.OpenRead(path);
        var bytes = new byte[CheckedLength(file)];
        file.ReadExactly(bytes);
        return Parse(bytes);
    }

    private static long CheckedLength(FileStream file) => file.Length <= MaxFileBytes
        ? file.Length
        : throw new IOException(FormattableString.Invariant($"the file is over {MaxFileBytes} bytes, too big for a LiteLLM price map"));

    /// <summary>Parses a map from UTF-8 JSON.</summary>
    /// <param name="utf8Json">The JSON.</param>
    /// <exception cref="JsonException">The text is not a LiteLLM price map.</exception>
    public static LiteLlmPriceMap Parse(ReadOnlySpan<byte> utf8Json)
    {
        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("A LiteLLM price map is a JSON object keyed by model name.");
        }

        var result = new Dictionary<string, ModelPrice>(StringComparer.Ordinal);
        var flags = new Dictionary<string, ModelCapabilities>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var model = reader.GetString()!;
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }

            var (entry, capability) = ReadEntry(ref reader);
            if (string.Equals(model, "sample_spec", StringComparison.Ordinal))
            {
                continue;
            }

            if (entry is { } price)
            {
                result[model] = price;
            }

            if (capability != ModelCapabilities.Unknown)
            {
                flags[model] = capability;
            }
        }

        return new LiteLlmPriceMap(result.ToFrozenDictionary(StringComparer.Ordinal), flags.ToFrozenDictionary(StringComparer.Ordinal));
    }

    /// <summary>Looks a model up by its full name (<c>gemini/gemini-2.0-flash</c>), then without its provider prefix (<c>gpt-4o</c>).</summary>
    /// <param name="model">The model name.</param>
    /// <param name="price">Its prices.</param>
    public bool TryGet(string model, out ModelPrice price)
    {
        ArgumentNullException.ThrowIfNull(model);
        return ModelNames.TryLookup(prices, model, out price);
    }

    /// <summary>A model's capability flags, looked up as <see cref="TryGet"/> does.</summary>
    internal bool TryGetCapabilities(string model, out ModelCapabilities flags) => ModelNames.TryLookup(capabilities, model, out flags);

    private static (ModelPrice? Price, ModelCapabilities Flags) ReadEntry(ref Utf8JsonReader reader)
    {
        decimal? input = null, output = null, cacheRead = null, cacheCreation = null;
        var flags = ModelCapabilities.Unknown;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("input_cost_per_token"u8))
            {
                input = ReadNumber(ref reader);
            }
            else if (reader.ValueTextEquals("output_cost_per_token"u8))
            {
                output = ReadNumber(ref reader);
            }
            else if (reader.ValueTextEquals("cache_read_input_token_cost"u8))
            {
                cacheRead = ReadNumber(ref reader);
            }
            else if (reader.ValueTextEquals("cache_creation_input_token_cost"u8))
            {
                cacheCreation = ReadNumber(ref reader);
            }
            else if (reader.ValueTextEquals("supports_response_schema"u8))
            {
                flags = flags with { SupportsResponseSchema = ReadFlag(ref reader) };
            }
            else if (reader.ValueTextEquals("supports_native_structured_output"u8))
            {
                flags = flags with { SupportsNativeStructuredOutput = ReadFlag(ref reader) };
            }
            else if (reader.ValueTextEquals("supports_reasoning"u8))
            {
                flags = flags with { SupportsReasoning = ReadFlag(ref reader) };
            }
            else if (reader.ValueTextEquals("supports_prompt_caching"u8))
            {
                flags = flags with { SupportsPromptCaching = ReadFlag(ref reader) };
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        var price = input is { } i && output is { } o && new ModelPrice(i, o, cacheRead, cacheCreation) is var p && CostSanity.IsPlausible(p) ? p : (ModelPrice?)null;
        return (price, flags);
    }

    private static bool? ReadFlag(ref Utf8JsonReader reader)
    {
        reader.Read();
        bool? flag = reader.TokenType switch
        {
            JsonTokenType.True => true,
            JsonTokenType.False => false,
            _ => null,
        };
        reader.Skip();
        return flag;
    }

    private static decimal? ReadNumber(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetDecimal(out var value) && value >= 0m)
        {
            return value;
        }

        reader.Skip();
        return null;
    }
}
