using System.Collections.Frozen;
using System.Text.Json;
using Kait.Sdk.Costs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kait.Sdk;

/// <summary>What one deployment's model takes, by LiteLLM's flag names; null: nobody says (the planner then takes the
/// choice that works on every model).</summary>
/// <param name="SupportsResponseSchema"><c>supports_response_schema</c>.</param>
/// <param name="SupportsNativeStructuredOutput"><c>supports_native_structured_output</c>: the provider enforces the
/// schema (Anthropic's <c>output_config.format</c>); else Kait forces a tool on Anthropic.</param>
/// <param name="SupportsReasoning"><c>supports_reasoning</c>.</param>
/// <param name="SupportsPromptCaching"><c>supports_prompt_caching</c>.</param>
internal readonly record struct ModelCapabilities(bool? SupportsResponseSchema, bool? SupportsNativeStructuredOutput, bool? SupportsReasoning, bool? SupportsPromptCaching)
{
    public static ModelCapabilities Unknown => default;

    /// <summary>Each flag from <paramref name="preferred"/> when it says, else from this.</summary>
    public ModelCapabilities OverriddenBy(ModelCapabilities preferred) => new(
        preferred.SupportsResponseSchema ?? SupportsResponseSchema,
        preferred.SupportsNativeStructuredOutput ?? SupportsNativeStructuredOutput,
        preferred.SupportsReasoning ?? SupportsReasoning,
        preferred.SupportsPromptCaching ?? SupportsPromptCaching);
}

/// <summary>
/// The capabilities of each deployment, from data: the config's <c>model_info</c> (<c>supports_response_schema</c>,
/// <c>supports_native_structured_output</c>, <c>supports_reasoning</c>, <c>supports_prompt_caching</c>; carried on
/// <see cref="ModelDeployment"/> by the generator and the run-time catalogue) wins over LiteLLM's model map
/// (<c>KAIT_PRICE_MAP</c>, the same file the costs read; looked up as <see cref="ModelNames.Candidates"/>).
/// The map is read once, lazily, within a size limit; a map that cannot be read is logged and leaves every flag unknown.
/// </summary>
internal sealed partial class ModelCapabilityCatalog
{
    /// <summary>The largest map read (LiteLLM's own is about 1.5 MB).</summary>
    internal const long MaxMapBytes = 64L * 1024 * 1024;

    private readonly Lazy<FrozenDictionary<string, ModelCapabilities>> map;

    public ModelCapabilityCatalog(string? priceMapPath, ILogger? logger = null)
    {
        var log = logger ?? NullLogger.Instance;
        map = new Lazy<FrozenDictionary<string, ModelCapabilities>>(() => Load(priceMapPath, log), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>No map: the config's flags only.</summary>
    public static ModelCapabilityCatalog ConfigOnly { get; } = new(null);

    /// <summary>The deployment's capabilities: its <c>model_info</c> flags over the map's.</summary>
    public ModelCapabilities For(ModelDeployment? deployment)
    {
        if (deployment is null)
        {
            return ModelCapabilities.Unknown;
        }

        var fromConfig = new ModelCapabilities(deployment.SupportsResponseSchema, deployment.SupportsNativeStructuredOutput, deployment.SupportsReasoning, deployment.SupportsPromptCaching);
        var entries = map.Value;
        if (entries.Count > 0)
        {
            // As the costs look a model up: each candidate name, then the same without its provider prefix.
            foreach (var name in ModelNames.Candidates(deployment))
            {
                var slash = name.IndexOf('/', StringComparison.Ordinal);
                if (entries.TryGetValue(name, out var fromMap)
                    || (slash > 0 && slash < name.Length - 1 && entries.TryGetValue(name[(slash + 1)..], out fromMap)))
                {
                    return fromMap.OverriddenBy(fromConfig);
                }
            }
        }

        return fromConfig;
    }

    /// <summary>Reads the <c>supports_*</c> flags of a LiteLLM model map (UTF-8 JSON).</summary>
    /// <exception cref="JsonException">The text is not a LiteLLM model map.</exception>
    internal static FrozenDictionary<string, ModelCapabilities> Parse(ReadOnlySpan<byte> utf8Json)
    {
        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("A LiteLLM model map is a JSON object keyed by model name.");
        }

        var result = new Dictionary<string, ModelCapabilities>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var model = reader.GetString()!;
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }

            var entry = ModelCapabilities.Unknown;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var key = reader.GetString();
                reader.Read();
                bool? flag = reader.TokenType switch
                {
                    JsonTokenType.True => true,
                    JsonTokenType.False => false,
                    _ => null,
                };
                reader.Skip();
                entry = key switch
                {
                    "supports_response_schema" => entry with { SupportsResponseSchema = flag },
                    "supports_native_structured_output" => entry with { SupportsNativeStructuredOutput = flag },
                    "supports_reasoning" => entry with { SupportsReasoning = flag },
                    "supports_prompt_caching" => entry with { SupportsPromptCaching = flag },
                    _ => entry,
                };
            }

            if (entry != ModelCapabilities.Unknown && model != "sample_spec")
            {
                result[model] = entry;
            }
        }

        return result.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static FrozenDictionary<string, ModelCapabilities> Load(string? path, ILogger logger)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return FrozenDictionary<string, ModelCapabilities>.Empty;
        }

        try
        {
            using var file = File.OpenRead(path);
            if (file.Length > MaxMapBytes)
            {
                throw new IOException(FormattableString.Invariant($"the file is over {MaxMapBytes} bytes"));
            }

            var bytes = new byte[file.Length];
            file.ReadExactly(bytes);
            return Parse(bytes);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            LogMapUnreadable(logger, path, ex.Message, ex);
            return FrozenDictionary<string, ModelCapabilities>.Empty;
        }
    }

    [LoggerMessage(EventId = 4140, Level = LogLevel.Error, Message = "The model map {Path} (KAIT_PRICE_MAP) cannot be read for model capabilities: {Reason}. Only the config's model_info flags are used.")]
    private static partial void LogMapUnreadable(ILogger logger, string path, string reason, Exception exception);
}
