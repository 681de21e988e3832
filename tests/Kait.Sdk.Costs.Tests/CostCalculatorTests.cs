using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Kait.Sdk.Costs.Tests;

public sealed class CostCalculatorTests
{
    private static readonly Lazy<LiteLlmPriceMap> SharedMap = new(() => LiteLlmPriceMap.Load(TestPaths.PriceMap));

    private static ModelDeployment Deployment(string model, string? provider = null)
    {
        var slash = model.IndexOf('/', StringComparison.Ordinal);
        return new ModelDeployment(model)
        {
            Provider = provider ?? (slash > 0 ? model[..slash] : null),
            ProviderModel = slash > 0 ? model[(slash + 1)..] : model,
        };
    }

    /// <summary>The per-token prices exactly as LiteLLM's JSON has them, read independently of the loader under test.</summary>
    private static (decimal In, decimal Out, decimal? Read, decimal? Write) JsonPrices(string key)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(TestPaths.PriceMap));
        var entry = doc.RootElement.GetProperty(key);
        static decimal? Opt(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDecimal() : null;
        return (entry.GetProperty("input_cost_per_token").GetDecimal(), entry.GetProperty("output_cost_per_token").GetDecimal(),
            Opt(entry, "cache_read_input_token_cost"), Opt(entry, "cache_creation_input_token_cost"));
    }

    [Theory]
    [InlineData("0.00042", "0.00042")]
    [InlineData("1.5e-05", "0.000015")]
    [InlineData("4.2E-7", "0.00000042")]
    [InlineData(" 3 ", "3")]
    public void Proxy_header_is_parsed_invariantly_exponent_form_included(string header, string expected)
    {
        Assert.True(ProxyCostHeader.TryParse(header, out var cost));
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), cost);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("None")]
    [InlineData("0,5")]
    [InlineData("-0.01")]
    [InlineData("1e40")]
    [InlineData("1e20")]
    [InlineData("10000.5")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    public void Proxy_header_that_is_not_a_cost_is_refused(string? header)
        => Assert.False(ProxyCostHeader.TryParse(header, out _));

    [Fact]
    public async Task A_price_map_file_too_big_to_be_one_is_refused_without_reading_it_and_costs_fall_back()
    {
        using var dir = new TempDir();
        var path = System.IO.Path.Combine(dir.Path, "huge.json");
        using (var file = File.Create(path))
        {
            file.SetLength(LiteLlmPriceMap.MaxFileBytes + 1); // sparse: no disk, but a reader that trusts it allocates 64 MB
        }

        var sync = Assert.Throws<IOException>(() => LiteLlmPriceMap.Load(path));
        var async = await Assert.ThrowsAsync<IOException>(() => LiteLlmPriceMap.LoadAsync(path));
        var calculator = new DefaultCostCalculator(Options.Create(new KaitCostOptions { PriceMapPath = path }));
        var cost = calculator.Calculate(Deployment("openai/gpt-4o-mini"), new LlmUsage(1000, 0, 100));

        Assert.Contains("too big", sync.Message, StringComparison.Ordinal);
        Assert.Contains("too big", async.Message, StringComparison.Ordinal);
        Assert.Equal(CostSource.BuiltIn, cost.Source);
    }

    [Fact]
    public void The_price_map_also_gives_each_models_capability_flags_in_the_same_read()
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(TestPaths.PriceMap));
        var gpt5 = doc.RootElement.GetProperty("gpt-5");

        Assert.True(SharedMap.Value.TryGetCapabilities("openai/gpt-5", out var flags));
        Assert.Equal(gpt5.GetProperty("supports_reasoning").GetBoolean(), flags.SupportsReasoning);
        Assert.Equal(gpt5.GetProperty("supports_prompt_caching").GetBoolean(), flags.SupportsPromptCaching);
        Assert.False(SharedMap.Value.TryGetCapabilities("no-such-model", out _));
    }

    [Fact]
    public void Proxy_header_wins_over_every_price()
    {
        var calculator = new DefaultCostCalculator(SharedMap.Value);
        var deployment = Deployment("anthropic/claude-haiku-4-5-20251001") with { InputCostPerToken = 1m, OutputCostPerToken = 1m };

        var result = calculator.Calculate(deployment, new LlmUsage(InputTokens: 1000, CachedInputTokens: 0, OutputTokens: 100), "2.5e-4");

        Assert.Equal(new CostResult(0.00025m, CostSource.ProxyHeader), result);
    }

    [Fact]
    public void Config_prices_win_over_the_price_map_and_follow_the_formula()
    {
        var calculator = new DefaultCostCalculator(SharedMap.Value);
        var deployment = Deployment("openai/gpt-4o") with
        {
            InputCostPerToken = 0.00001m,
            OutputCostPerToken = 0.00003m,
            CacheReadInputTokenCost = 0.000001m,
        };

        var (cost, source) = calculator.Calculate(deployment, LlmUsage.FromOpenAi(promptTokens: 1000, completionTokens: 200, cachedTokens: 400));

        Assert.Equal(CostSource.ConfigPrice, source);
        Assert.Equal((600 * 0.00001m) + (400 * 0.000001m) + (200 * 0.00003m), cost);
    }

    [Fact]
    public void Claude_with_cache_reads_and_writes_matches_LiteLLMs_prices()
    {
        var calculator = new DefaultCostCalculator(SharedMap.Value);
        var p = JsonPrices("claude-3-7-sonnet-20250219");

        // Anthropic reports input_tokens without the cache: 200 fresh, 3000 read from cache, 1000 written to it.
        var usage = LlmUsage.FromAnthropic(inputTokens: 200, outputTokens: 500, cacheReadInputTokens: 3000, cacheCreationInputTokens: 1000);
        var (cost, source) = calculator.Calculate(Deployment("anthropic/claude-3-7-sonnet-20250219"), usage);

        Assert.Equal(CostSource.PriceMap, source);
        Assert.Equal((200 * p.In) + (3000 * p.Read!.Value) + (1000 * p.Write!.Value) + (500 * p.Out), cost);
        Assert.Equal(0.01275m, cost); // 0.0006 + 0.0009 + 0.00375 + 0.0075
    }

    [Fact]
    public void OpenAI_cached_prompt_tokens_are_billed_at_the_cache_read_rate()
    {
        var calculator = new DefaultCostCalculator(SharedMap.Value);
        var p = JsonPrices("gpt-4.1");

        var (cost, source) = calculator.Calculate(Deployment("openai/gpt-4.1"), LlmUsage.FromOpenAi(promptTokens: 10_000, completionTokens: 1_000, cachedTokens: 8_000));

        Assert.Equal(CostSource.PriceMap, source);
        Assert.Equal((2_000 * p.In) + (8_000 * p.Read!.Value) + (1_000 * p.Out), cost);
    }

    [Fact]
    public void Price_map_is_looked_up_by_full_name_first()
    {
        var calculator = new DefaultCostCalculator(SharedMap.Value);
        var p = JsonPrices("gemini/gemini-2.0-flash");

        var (cost, source) = calculator.Calculate(Deployment("gemini/gemini-2.0-flash"), new LlmUsage(InputTokens: 1_000_000, CachedInputTokens: 0, OutputTokens: 1_000_000));

        Assert.Equal(CostSource.PriceMap, source);
        Assert.Equal(p.In * 1_000_000 + p.Out * 1_000_000, cost);
    }

    [Fact]
    public void Price_map_is_looked_up_without_the_provider_prefix_when_the_full_name_is_absent()
    {
        var calculator = new DefaultCostCalculator(SharedMap.Value);
        var p = JsonPrices("mistral/mistral-large-latest");

        Assert.True(SharedMap.Value.TryGet("gpt-4o", out _));
        Assert.False(SharedMap.Value.TryGet("unknown-provider/nothing-like-it", out _));
        var (cost, _) = calculator.Calculate(Deployment("mistral/mistral-large-latest"), new LlmUsage(InputTokens: 1000, CachedInputTokens: 0, OutputTokens: 1000));
        Assert.Equal(1000 * (p.In + p.Out), cost);

        var viaStripped = calculator.Calculate(Deployment("openai/gpt-4o"), new LlmUsage(InputTokens: 1000, CachedInputTokens: 0, OutputTokens: 0));
        Assert.Equal(new CostResult(1000 * JsonPrices("gpt-4o").In, CostSource.PriceMap), viaStripped);
    }

    [Fact]
    public void Built_in_prices_cover_the_default_aliases_without_a_price_map()
    {
        var calculator = new DefaultCostCalculator(priceMap: null);

        var result = calculator.Calculate(Deployment("anthropic/claude-haiku-4-5-20251001"), LlmUsage.FromAnthropic(1000, 1000, 1000, 1000));

        Assert.Equal(new CostResult((1000 * 0.000001m) + (1000 * 0.0000001m) + (1000 * 0.00000125m) + (1000 * 0.000005m), CostSource.BuiltIn), result);
    }

    [Theory]
    [InlineData("claude-sonnet-4-20250514")]
    [InlineData("claude-haiku-4-5-20251001")]
    [InlineData("claude-opus-4-6")]
    [InlineData("gpt-4o")]
    [InlineData("gpt-4o-mini")]
    [InlineData("gemini/gemini-2.0-flash")]
    public void Built_in_prices_agree_with_LiteLLMs_price_map(string model)
    {
        var p = JsonPrices(model);
        Assert.True(BuiltInPrices.TryGet(model, out var builtIn));
        Assert.Equal(new ModelPrice(p.In, p.Out, p.Read, p.Write), builtIn);
    }

    [Fact]
    public void Unpriced_model_is_unknown_with_a_null_cost_never_zero()
    {
        var calculator = new DefaultCostCalculator(SharedMap.Value);

        var result = calculator.Calculate(Deployment("acme/frontier-9000"), new LlmUsage(InputTokens: 1000, CachedInputTokens: 0, OutputTokens: 1000));

        Assert.Equal(CostResult.Unknown, result);
        Assert.Null(result.CostUsd);
    }

    [Fact]
    public void A_zero_proxy_header_for_a_call_that_used_tokens_yields_to_real_prices_but_is_kept_when_nothing_else_knows()
    {
        var calculator = new DefaultCostCalculator(priceMap: null);

        var priced = calculator.Calculate(Deployment("openai/gpt-4o-mini"), new LlmUsage(InputTokens: 1000, CachedInputTokens: 0, OutputTokens: 0), "0.0");
        var unpriced = calculator.Calculate(Deployment("acme/frontier-9000"), new LlmUsage(InputTokens: 1000, CachedInputTokens: 0, OutputTokens: 0), "0");

        Assert.Equal(new CostResult(1000 * 0.00000015m, CostSource.BuiltIn), priced);
        Assert.Equal(new CostResult(0m, CostSource.ProxyHeader), unpriced);
    }

    [Fact]
    public void Price_map_named_by_the_options_is_read_and_a_missing_one_is_logged_and_skipped()
    {
        var withMap = new DefaultCostCalculator(Options.Create(new KaitCostOptions { PriceMapPath = TestPaths.PriceMap }));
        Assert.Equal(CostSource.PriceMap, withMap.Calculate(Deployment("mistral/mistral-large-latest"), new LlmUsage(InputTokens: 1, CachedInputTokens: 0, OutputTokens: 1)).Source);

        var logger = new ListLogger<DefaultCostCalculator>();
        var missing = new DefaultCostCalculator(Options.Create(new KaitCostOptions { PriceMapPath = "/nonexistent/prices.json" }), logger);
        Assert.Equal(CostSource.BuiltIn, missing.Calculate(Deployment("openai/gpt-4o"), new LlmUsage(InputTokens: 1, CachedInputTokens: 0, OutputTokens: 1)).Source);
        Assert.Equal(CostSource.Unknown, missing.Calculate(Deployment("mistral/mistral-large-latest"), new LlmUsage(InputTokens: 1, CachedInputTokens: 0, OutputTokens: 1)).Source);
        Assert.Contains(logger.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Error && e.Message.Contains("/nonexistent/prices.json", StringComparison.Ordinal));
    }

    [Fact]
    public void Price_map_loader_reads_every_token_priced_model_of_LiteLLMs_file_but_its_implausible_prices()
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(TestPaths.PriceMap));
        static bool Plausible(JsonElement entry, string name) =>
            !entry.TryGetProperty(name, out var v) || v.ValueKind != JsonValueKind.Number || v.GetDecimal() <= 0.001m;
        var priced = doc.RootElement.EnumerateObject().Where(e => e.Name != "sample_spec"
            && e.Value.ValueKind == JsonValueKind.Object
            && e.Value.TryGetProperty("input_cost_per_token", out var i) && i.ValueKind == JsonValueKind.Number
            && e.Value.TryGetProperty("output_cost_per_token", out var o) && o.ValueKind == JsonValueKind.Number).ToList();
        var implausible = priced.Where(e => !(Plausible(e.Value, "input_cost_per_token") && Plausible(e.Value, "output_cost_per_token")
            && Plausible(e.Value, "cache_read_input_token_cost") && Plausible(e.Value, "cache_creation_input_token_cost"))).ToList();

        Assert.Equal(priced.Count - implausible.Count, SharedMap.Value.Count);
        Assert.True(SharedMap.Value.Count > 1000);

        // LiteLLM's own map prices a few models per thousand or per million tokens (0.54 USD "a token"): left out, so a
        // call to them is not booked at thousands of dollars.
        Assert.Contains(implausible, e => e.Name == "wandb/deepseek-ai/DeepSeek-R1-0528");
        Assert.All(implausible, e => Assert.False(SharedMap.Value.TryGet(e.Name, out _)));
        Assert.True(SharedMap.Value.TryGet("o1-pro", out var dearest)); // the dearest real price (600 USD per million) stays
        Assert.Equal(0.0006m, dearest.OutputCostPerToken);
    }

    [Fact]
    public void A_config_price_that_cannot_be_per_token_is_ignored_and_logged_once()
    {
        var logger = new ListLogger<DefaultCostCalculator>();
        var calculator = new DefaultCostCalculator(Options.Create(new KaitCostOptions()), logger);
        // 3 and 15 "per token": a per-million price typed into a per-token field would book 3 USD a token.
        var deployment = Deployment("openai/gpt-4o") with { InputCostPerToken = 3m, OutputCostPerToken = 15m };
        var usage = new LlmUsage(InputTokens: 1000, CachedInputTokens: 0, OutputTokens: 100);

        var first = calculator.Calculate(deployment, usage);
        calculator.Calculate(deployment, usage);

        Assert.Equal(CostSource.BuiltIn, first.Source); // the next source that knows the model
        Assert.Equal((1000 * 0.0000025m) + (100 * 0.00001m), first.CostUsd);
        Assert.Single(logger.Entries, e => e.Id.Id == 4103 && e.Message.Contains("openai/gpt-4o", StringComparison.Ordinal));
        Assert.Equal(CostResult.Unknown, calculator.Calculate(Deployment("acme/unknown") with { InputCostPerToken = -1m, OutputCostPerToken = 0m }, usage));
    }

    [Fact]
    public void A_cost_above_the_sanity_ceiling_is_not_believed_from_any_price()
    {
        var calculator = new DefaultCostCalculator(priceMap: null);
        var deployment = Deployment("acme/pricey") with { InputCostPerToken = 0.001m, OutputCostPerToken = 0.001m };

        Assert.Equal(new CostResult(10m, CostSource.ConfigPrice), calculator.Calculate(deployment, new LlmUsage(10_000, 0, 0)));
        Assert.Equal(CostResult.Unknown, calculator.Calculate(deployment, new LlmUsage(20_000_000, 0, 0))); // 20,000 USD for one call
    }

    [Fact]
    public void Usage_is_normalised_so_input_tokens_include_cache_reads_and_writes()
    {
        // Anthropic's input_tokens exclude cache reads and writes; Kait's InputTokens count every prompt token.
        var anthropic = LlmUsage.FromAnthropic(inputTokens: 100, outputTokens: 50, cacheReadInputTokens: 30, cacheCreationInputTokens: 20);
        var openAi = LlmUsage.FromOpenAi(promptTokens: 150, completionTokens: 50, cachedTokens: 30);

        Assert.Equal(new LlmUsage(InputTokens: 150, OutputTokens: 50, CachedInputTokens: 30, CacheCreationInputTokens: 20), anthropic);
        Assert.Equal(100, anthropic.UncachedInputTokens);
        Assert.Equal(openAi with { CacheCreationInputTokens = 20 }, anthropic);
    }
}
