using System.Net;
using System.Text;
using Kait.Sdk.Http;
using Kait.Sdk.Testing;

namespace Kait.Sdk.Tests;

/// <summary>The public Refit interfaces of the wire APIs, resolved from the container as typed clients: the right base
/// URL, the right key for the right host only, no redirect followed, keys redacted from HttpClientFactory's logs.</summary>
public sealed class HttpApiTests
{
    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task The_proxy_API_calls_the_configured_proxy_with_the_master_key_and_reaches_endpoints_Kait_does_not_wrap()
    {
        await using var proxy = await FakeLiteLlmProxy.StartAsync();
        proxy.MasterKey = TestData.MasterKey;
        proxy.Enqueue(new FakeReply { Text = "raw hello" });
        using var harness = Harness.Create(TestData.ProxyEnv(proxy));
        var api = harness.Get<ILiteLlmProxyHttpApi>();

        using var reply = await api.ChatCompletionsAsync(Json("""{"model":"claude-fast","messages":[{"role":"user","content":"hi"}]}"""));
        Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
        Assert.Contains("raw hello", await reply.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var sent = Assert.Single(proxy.Requests);
        Assert.Equal("/v1/chat/completions", sent.Path);
        Assert.Equal("Bearer " + TestData.MasterKey, sent.Headers["Authorization"]);
        Assert.StartsWith("Kait.Sdk/", sent.Headers["User-Agent"], StringComparison.Ordinal);

        using var info = await api.GetAsync("model/info");
        Assert.Equal(HttpStatusCode.OK, info.StatusCode);
        Assert.Equal("/model/info", proxy.Requests[^1].Path);
        Assert.Equal("Bearer " + TestData.MasterKey, proxy.Requests[^1].Headers["Authorization"]);
    }

    [Fact]
    public async Task The_Anthropic_API_sends_x_api_key_and_the_version_and_no_bearer_token()
    {
        await using var anthropic = await FakeAnthropicApi.StartAsync();
        anthropic.ApiKey = TestData.AnthropicKey;
        anthropic.Enqueue(new FakeReply { Text = "straight from claude" });
        using var harness = Harness.Create(TestData.DirectEnv(anthropic));

        using var reply = await harness.Get<IAnthropicHttpApi>().MessagesAsync(Json("""{"model":"claude-haiku-4-5","max_tokens":16,"messages":[{"role":"user","content":"hi"}]}"""));

        Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
        Assert.Contains("straight from claude", await reply.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var sent = Assert.Single(anthropic.Requests);
        Assert.Equal(TestData.AnthropicKey, sent.Headers["x-api-key"]);
        Assert.Equal("2023-06-01", sent.Headers["anthropic-version"]);
        Assert.False(sent.Headers.ContainsKey("Authorization"));
    }

    [Fact]
    public async Task The_OpenAI_API_keeps_v1_in_its_base_and_sends_the_OpenAI_key_only()
    {
        await using var openAI = await FakeOpenAIApi.StartAsync();
        openAI.Enqueue(new FakeReply { Text = "from openai" });
        using var harness = Harness.Create(TestData.DirectEnv(openAI: openAI));

        using var reply = await harness.Get<IOpenAIHttpApi>().ChatCompletionsAsync(Json("""{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}"""));

        Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
        var sent = Assert.Single(openAI.Requests);
        Assert.Equal("/v1/chat/completions", sent.Path);
        Assert.Equal("Bearer " + TestData.OpenAIKey, sent.Headers["Authorization"]);
        Assert.False(sent.Headers.ContainsKey("x-api-key"));
    }

    [Fact]
    public async Task A_redirect_to_another_host_is_returned_not_followed_and_the_key_never_reaches_that_host()
    {
        await using var anthropic = await FakeAnthropicApi.StartAsync();
        await using var elsewhere = await FakeAnthropicApi.StartAsync();
        anthropic.DefaultReply = new FakeReply
        {
            Status = 307,
            ErrorMessage = "moved",
            Headers = new Dictionary<string, string> { ["Location"] = new Uri(elsewhere.BaseUrl, "/v1/messages").ToString() },
        };
        using var harness = Harness.Create(TestData.DirectEnv(anthropic));

        using var reply = await harness.Get<IAnthropicHttpApi>().MessagesAsync(Json("{}"));

        Assert.Equal(HttpStatusCode.TemporaryRedirect, reply.StatusCode);
        Assert.Empty(elsewhere.Requests);
    }

    [Fact]
    public async Task A_request_for_another_host_through_the_handler_leaves_without_any_key()
    {
        var seen = new List<HttpRequestMessage>();
        using var handler = new CredentialHandler(new Uri("https://api.anthropic.com"), "x-api-key", () => TestData.AnthropicKey) { InnerHandler = new Recorder(seen) };
        using var client = new HttpClient(handler);

        using var foreign = new HttpRequestMessage(HttpMethod.Post, "https://api.anthropic.com.evil.example/v1/messages");
        foreign.Headers.TryAddWithoutValidation("x-api-key", "planted");
        foreign.Headers.TryAddWithoutValidation("Authorization", "Bearer planted");
        await client.SendAsync(foreign);
        using var otherPort = new HttpRequestMessage(HttpMethod.Post, "https://api.anthropic.com:8443/v1/messages");
        await client.SendAsync(otherPort);
        using var plain = new HttpRequestMessage(HttpMethod.Post, "http://api.anthropic.com/v1/messages");
        await client.SendAsync(plain);
        using var own = new HttpRequestMessage(HttpMethod.Post, "https://api.anthropic.com/v1/messages");
        await client.SendAsync(own);

        foreach (var request in seen.Take(3))
        {
            Assert.False(request.Headers.Contains("x-api-key"), request.RequestUri!.ToString());
            Assert.False(request.Headers.Contains("Authorization"), request.RequestUri!.ToString());
        }

        Assert.Equal(TestData.AnthropicKey, seen[3].Headers.GetValues("x-api-key").Single());
    }

    [Fact]
    public async Task The_key_is_redacted_from_HttpClientFactory_logs()
    {
        await using var openAI = await FakeOpenAIApi.StartAsync();
        using var harness = Harness.Create(TestData.DirectEnv(openAI: openAI)); // logs at Trace: headers are logged

        using var reply = await harness.Get<IOpenAIHttpApi>().ChatCompletionsAsync(Json("""{"model":"gpt-4o-mini","messages":[]}"""));

        var logs = string.Join("\n", harness.Logs.Entries.Select(e => e.Message));
        Assert.Contains("Authorization: *", logs, StringComparison.Ordinal);
        Assert.DoesNotContain(TestData.OpenAIKey, logs, StringComparison.Ordinal);
    }

    private sealed class Recorder(List<HttpRequestMessage> seen) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            seen.Add(request);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));
        }
    }
}
