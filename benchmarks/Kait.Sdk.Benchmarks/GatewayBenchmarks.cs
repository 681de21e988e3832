using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using Kait.Sdk.Testing;
using Kait.Sdk.Transport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Kait.Sdk.Benchmarks;

/// <summary>How the request reaches the proxy.</summary>
public enum GatewayTransport
{
    /// <summary>A canned <see cref="HttpMessageHandler"/>: no socket, so only the client side is measured.</summary>
    InMemory,

    /// <summary><see cref="FakeLiteLlmProxy"/> on 127.0.0.1 (Kestrel in this process: its allocations count too).</summary>
    Loopback,
}

/// <summary>
/// One OpenAI-compatible chat completion to the proxy route: Kait's whole stack (miss, cache hit, stream) against the
/// floor, a raw <see cref="HttpClient"/> POST with source-generated System.Text.Json (and <see cref="SseParser"/> for the
/// stream). Each category has its own baseline; both transports run unless <c>KAIT_BENCH_TRANSPORTS</c> names some
/// (<c>InMemory</c>, <c>Loopback</c>, comma-separated).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Throughput, launchCount: 1, warmupCount: 6, iterationCount: 5, id: "Settled")] // one launch (a 2-core box), warm-up long enough for the JIT's tiering of a deep async stack
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public partial class GatewayBenchmarks
{
    private const string Chat = "Chat";
    private const string Stream = "Stream";
    private const string Path = "/v1/chat/completions";

    private static readonly IReadOnlyList<LlmMessage> Messages = [LlmMessage.User("Hello!")];
    /// <summary>The cache is looked up (in memory, then the SQLite L2) and misses; the reply is not stored, so every
    /// call misses again (its own namespace: the entry KaitCacheHit reads is not in it).</summary>
    private static readonly LlmCallOptions Missing = new() { Cache = new LlmCacheControl { NoStore = true, Namespace = "bench-miss" } };

    /// <summary>The cache is neither read nor written (a caller opting out): the stack without the cache.</summary>
    private static readonly LlmCallOptions Uncached = new() { Cache = new LlmCacheControl { NoCache = true, NoStore = true } };
    private static readonly WireRequest RawRequest = new() { Model = CannedBodies.Model, Messages = [new WireMessage { Role = "user", Content = "Hello!" }] };
    private static readonly WireRequest RawStreamRequest = new()
    {
        Model = CannedBodies.Model,
        Messages = RawRequest.Messages,
        Stream = true,
        StreamOptions = new WireStreamOptions { IncludeUsage = true },
    };

    private readonly CannedProxyHandler canned = new();
    private FakeLiteLlmProxy? proxy;
    private ServiceProvider? services;

    /// <summary>The set-up container (for <see cref="ProfileRun"/>'s per-layer loops).</summary>
    internal IServiceProvider Services => services ?? throw new InvalidOperationException("Not set up.");
    private HttpClient raw = null!;
    private ILlmGateway gateway = null!;
    private string home = string.Empty;

    [ParamsSource(nameof(Transports))]
    public GatewayTransport Transport { get; set; }

    public static IEnumerable<GatewayTransport> Transports()
    {
        var chosen = Environment.GetEnvironmentVariable("KAIT_BENCH_TRANSPORTS");
        return string.IsNullOrWhiteSpace(chosen)
            ? Enum.GetValues<GatewayTransport>()
            : chosen.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Enum.Parse<GatewayTransport>);
    }

    [GlobalSetup(Targets = [nameof(RawHttpClient), nameof(KaitMiss), nameof(KaitUncached), nameof(KaitCacheHit), nameof(Refit), nameof(OpenAiSdk), nameof(MeAi), nameof(MeAiCacheHit)])]
    public Task SetupChatAsync() => SetupAsync(streaming: false);

    [GlobalSetup(Targets = [nameof(RawSse), nameof(KaitStream), nameof(OpenAiSdkStream), nameof(MeAiStream)])]
    public Task SetupStreamAsync() => SetupAsync(streaming: true);

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        raw.Dispose();
        CleanupPeers();
        if (services is not null)
        {
            await services.DisposeAsync().ConfigureAwait(false);
        }

        if (proxy is not null)
        {
            await proxy.DisposeAsync().ConfigureAwait(false);
        }

        canned.Dispose();
        try
        {
            Directory.Delete(home, recursive: true);
        }
        catch (IOException)
        {
            // A ledger file still held: the temp directory is left behind.
        }
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory(Chat)]
    public async Task<string?> RawHttpClient()
    {
        using var content = JsonContent.Create(RawRequest, WireJsonContext.Default.WireRequest);
        using var response = await raw.PostAsync(Path, content).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var body = await JsonSerializer.DeserializeAsync(stream, WireJsonContext.Default.WireResponse).ConfigureAwait(false);
            return body?.Choices?[0].Message?.Content;
        }
    }

    [Benchmark]
    [BenchmarkCategory(Chat)]
    public async Task<string?> KaitMiss() => (await gateway.ChatAsync(CannedBodies.Model, Messages, Missing).ConfigureAwait(false)).Text;

    [Benchmark]
    [BenchmarkCategory(Chat)]
    public async Task<string?> KaitUncached() => (await gateway.ChatAsync(CannedBodies.Model, Messages, Uncached).ConfigureAwait(false)).Text;

    [Benchmark]
    [BenchmarkCategory(Chat)]
    public async Task<string?> KaitCacheHit() => (await gateway.ChatAsync(CannedBodies.Model, Messages).ConfigureAwait(false)).Text;

    [Benchmark(Baseline = true)]
    [BenchmarkCategory(Stream)]
    public async Task<int> RawSse()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Path) { Content = JsonContent.Create(RawStreamRequest, WireJsonContext.Default.WireRequest) };
        using var response = await raw.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var parser = SseParser.Create(stream, static (_, data) => data.SequenceEqual("[DONE]"u8) ? null : JsonSerializer.Deserialize(data, WireJsonContext.Default.WireResponse));
            var characters = 0;
            await foreach (var item in parser.EnumerateAsync().ConfigureAwait(false))
            {
                if (item.Data?.Choices is [{ Delta.Content: { } piece }, ..])
                {
                    characters += piece.Length;
                }
            }

            return characters;
        }
    }

    [Benchmark]
    [BenchmarkCategory(Stream)]
    public async Task<int> KaitStream()
    {
        var deltas = 0;
        await foreach (var delta in gateway.StreamChatAsync(CannedBodies.Model, Messages, Missing).ConfigureAwait(false))
        {
            deltas++;
        }

        return deltas;
    }

    private async Task SetupAsync(bool streaming)
    {
        canned.Streaming = streaming;
        Uri baseUrl;
        if (Transport == GatewayTransport.Loopback)
        {
            proxy = await FakeLiteLlmProxy.StartAsync().ConfigureAwait(false);
            proxy.DefaultReply = new FakeReply { CostUsd = 0.00025m };
            baseUrl = proxy.BaseUrl;
            raw = new HttpClient(new SocketsHttpHandler()) { BaseAddress = baseUrl };
        }
        else
        {
            baseUrl = new Uri("http://litellm.bench.invalid:4000");
            raw = new HttpClient(canned, disposeHandler: false) { BaseAddress = baseUrl };
        }

        home = Directory.CreateTempSubdirectory("kait-bench-").FullName;
        await File.WriteAllTextAsync(
            System.IO.Path.Combine(home, "litellm_config.yaml"),
            "model_list:\n  - model_name: claude-fast\n    litellm_params:\n      model: anthropic/claude-haiku-4-5-20251001\n      api_key: os.environ/ANTHROPIC_API_KEY\n").ConfigureAwait(false);
        var environment = KaitEnvironment.FromDictionary(
            new Dictionary<string, string?>
            {
                ["KAIT_LITELLM_ENABLED"] = "true",
                ["KAIT_LITELLM_URL"] = baseUrl.ToString(),
                ["KAIT_HOME"] = home,
                ["KAIT_CACHE_TTL"] = "86400",
            }.Concat(ProfileRun.ExtraEnvironment()).GroupBy(pair => pair.Key).ToDictionary(group => group.Key, group => group.Last().Value),
            home);
        var collection = new ServiceCollection();
        collection.AddSingleton(environment);
        collection.AddKaitSdk(new ConfigurationBuilder().Build());
        if (Transport == GatewayTransport.InMemory)
        {
            var client = collection.AddHttpClient(KaitHttpClients.LiteLlm).ConfigurePrimaryHttpMessageHandler(() => canned);
            if (Environment.GetEnvironmentVariable("KAIT_BENCH_NOLOG") == "1")
            {
                client.RemoveAllLoggers();
            }
        }

        services = collection.BuildServiceProvider();
        gateway = services.GetRequiredService<ILlmGateway>();
        SetupPeers(baseUrl);

        // Warm-up: connections, JSON metadata, and the cache entry KaitCacheHit reads.
        if (streaming)
        {
            if (await RawSse().ConfigureAwait(false) != Reply.Length)
            {
                throw new InvalidOperationException($"{nameof(RawSse)} did not read the reply.");
            }

            await KaitStream().ConfigureAwait(false);
        }
        else
        {
            Expect(nameof(RawHttpClient), await RawHttpClient().ConfigureAwait(false));
            Expect(nameof(KaitMiss), await KaitMiss().ConfigureAwait(false));
            Expect(nameof(KaitUncached), await KaitUncached().ConfigureAwait(false));
            var first = await gateway.ChatAsync(CannedBodies.Model, Messages).ConfigureAwait(false);
            var second = await gateway.ChatAsync(CannedBodies.Model, Messages).ConfigureAwait(false);
            if (!second.Cached || first.Text != second.Text)
            {
                throw new InvalidOperationException("The warm-up call was not cached.");
            }

            if ((await gateway.ChatAsync(CannedBodies.Model, Messages, Missing).ConfigureAwait(false)).Cached)
            {
                throw new InvalidOperationException($"{nameof(KaitMiss)} hit the cache.");
            }
        }

        await WarmUpPeersAsync(streaming).ConfigureAwait(false);
    }
}
