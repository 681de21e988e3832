using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using OpenAI;
using OpenAI.Chat;
using Refit;
using AiChatMessage = Microsoft.Extensions.AI.ChatMessage;
using OpenAiChatMessage = OpenAI.Chat.ChatMessage;

namespace Kait.Sdk.Benchmarks;

/// <summary>The peers, in the same run and categories so their ratios are against the same floor: plain Refit, the
/// official OpenAI .NET SDK, Microsoft.Extensions.AI over it (with and without its distributed cache). Each has its own
/// <see cref="HttpClient"/> on the same transport as the floor.</summary>
public partial class GatewayBenchmarks
{
    /// <summary>The text every row must get back (FakeLiteLlmProxy's default reply, and the canned bodies').</summary>
    private const string Reply = "Hello from the fake!";

    private static readonly OpenAiChatMessage[] OpenAiMessages = [new UserChatMessage("Hello!")];
    private static readonly AiChatMessage[] AiMessages = [new(ChatRole.User, "Hello!")];

    private readonly List<HttpClient> peerClients = [];
    private IPlainChatApi refit = null!;
    private ChatClient openAi = null!;
    private IChatClient? meAi;
    private IChatClient? meAiCached;
    private int meAiCacheMisses;

    [Benchmark]
    [BenchmarkCategory(Chat)]
    public async Task<string?> Refit() => (await refit.ChatAsync(RawRequest).ConfigureAwait(false)).Choices?[0].Message?.Content;

    [Benchmark]
    [BenchmarkCategory(Chat)]
    public async Task<string?> OpenAiSdk() => (await openAi.CompleteChatAsync(OpenAiMessages).ConfigureAwait(false)).Value.Content[0].Text;

    [Benchmark]
    [BenchmarkCategory(Chat)]
    public async Task<string?> MeAi() => (await meAi!.GetResponseAsync(AiMessages).ConfigureAwait(false)).Text;

    [Benchmark]
    [BenchmarkCategory(Chat)]
    public async Task<string?> MeAiCacheHit() => (await meAiCached!.GetResponseAsync(AiMessages).ConfigureAwait(false)).Text;

    [Benchmark]
    [BenchmarkCategory(Stream)]
    public Task<int> OpenAiSdkStream() => OpenAiSdkStreamAsync(text: null);

    [Benchmark]
    [BenchmarkCategory(Stream)]
    public Task<int> MeAiStream() => MeAiStreamAsync(text: null);

    /// <summary>The whole stream, counting the characters as <see cref="RawSse"/> does; <paramref name="text"/> (the
    /// warm-up's) gets the text too.</summary>
    private async Task<int> OpenAiSdkStreamAsync(StringBuilder? text)
    {
        var characters = 0;
        await foreach (var update in openAi.CompleteChatStreamingAsync(OpenAiMessages).ConfigureAwait(false))
        {
            foreach (var part in update.ContentUpdate)
            {
                if (part.Text is { } piece)
                {
                    characters += piece.Length;
                    text?.Append(piece);
                }
            }
        }

        return characters;
    }

    private async Task<int> MeAiStreamAsync(StringBuilder? text)
    {
        var characters = 0;
        await foreach (var update in meAi!.GetStreamingResponseAsync(AiMessages).ConfigureAwait(false))
        {
            var piece = update.Text;
            characters += piece.Length;
            text?.Append(piece);
        }

        return characters;
    }

    private void SetupPeers(Uri baseUrl)
    {
        refit = RestService.For<IPlainChatApi>(
            PeerHttpClient(baseUrl),
            new RefitSettings { ContentSerializer = new SystemTextJsonContentSerializer(WireJsonContext.Default.Options) });
        openAi = OpenAiChatClient(baseUrl);
        meAi = OpenAiChatClient(baseUrl).AsIChatClient();

        // A counter below the cache: it runs only on a miss, never on the measured hit.
        meAiCached = new ChatClientBuilder(OpenAiChatClient(baseUrl).AsIChatClient())
            .UseDistributedCache(new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions())))
            .Use(async (messages, options, next, cancellationToken) =>
            {
                Interlocked.Increment(ref meAiCacheMisses);
                await next(messages, options, cancellationToken).ConfigureAwait(false);
            })
            .Build();
    }

    /// <summary>Calls each peer once (connections, JSON metadata, the cache entry <see cref="MeAiCacheHit"/> reads) and
    /// checks it got the reply, so a misconfigured peer cannot measure an error path.</summary>
    private async Task WarmUpPeersAsync(bool streaming)
    {
        if (streaming)
        {
            var text = new StringBuilder();
            Expect(nameof(OpenAiSdkStream), await OpenAiSdkStreamAsync(text).ConfigureAwait(false), text);
            text.Clear();
            Expect(nameof(MeAiStream), await MeAiStreamAsync(text).ConfigureAwait(false), text);
            ExpectFloorRoute();
            return;
        }

        Expect(nameof(Refit), await Refit().ConfigureAwait(false));
        Expect(nameof(OpenAiSdk), await OpenAiSdk().ConfigureAwait(false));
        Expect(nameof(MeAi), await MeAi().ConfigureAwait(false));
        Expect(nameof(MeAiCacheHit), await MeAiCacheHit().ConfigureAwait(false));
        Expect(nameof(MeAiCacheHit), await MeAiCacheHit().ConfigureAwait(false));
        if (Volatile.Read(ref meAiCacheMisses) != 1)
        {
            throw new InvalidOperationException($"{nameof(MeAiCacheHit)}: the warm-up call was not cached ({meAiCacheMisses} calls reached the proxy).");
        }

        ExpectFloorRoute();
    }

    /// <summary>Over loopback the fake saw every warm-up call: each must have gone to the floor's route (the fake also
    /// serves <c>/chat/completions</c>, which a peer's misplaced endpoint would reach).</summary>
    private void ExpectFloorRoute()
    {
        if (proxy?.Requests.FirstOrDefault(r => r.Path != Path) is { } stray)
        {
            throw new InvalidOperationException($"A warm-up call went to {stray.Path}, not {Path}.");
        }
    }

    private static void Expect(string method, string? text)
    {
        if (text != Reply)
        {
            throw new InvalidOperationException($"{method} returned \"{text}\", not \"{Reply}\".");
        }
    }

    private static void Expect(string method, int characters, StringBuilder text)
    {
        Expect(method, text.ToString());
        if (characters != Reply.Length)
        {
            throw new InvalidOperationException($"{method} counted {characters} characters, not {Reply.Length}.");
        }
    }

    private void CleanupPeers()
    {
        meAi?.Dispose();
        meAiCached?.Dispose();
        foreach (var client in peerClients)
        {
            client.Dispose();
        }
    }

    private ChatClient OpenAiChatClient(Uri baseUrl) => new(
        CannedBodies.Model,
        new ApiKeyCredential("sk-bench"),
        new OpenAIClientOptions { Endpoint = new Uri(baseUrl, "v1"), Transport = new HttpClientPipelineTransport(PeerHttpClient(baseUrl)) });

    /// <summary>A peer's own client on the floor's transport: the same canned handler (not disposed with the client), or
    /// a new connection pool to the fake.</summary>
    private HttpClient PeerHttpClient(Uri baseUrl)
    {
        var client = Transport == GatewayTransport.Loopback ? new HttpClient(new SocketsHttpHandler()) : new HttpClient(canned, disposeHandler: false);
        client.BaseAddress = baseUrl;
        peerClients.Add(client);
        return client;
    }
}
