using Kait.Sdk.Costs;
using Kait.Sdk.Testing;
using Microsoft.Extensions.AI;

namespace Kait.Sdk.Tests;

/// <summary>The one request pipeline as a user meets it: the cache gives the same answer as the call that stored it
/// (tool calls included), in this process and in another sharing KAIT_HOME, on every route, for chat and stream; a
/// request that differs in anything sent reaches the upstream; embeddings get retries and a ledger row like chat; the
/// bytes go out with Content-Length and Kait's User-Agent.</summary>
public sealed class PipelineTests
{
    private static readonly FakeReply ToolTurn = new()
    {
        Text = string.Empty,
        ToolCalls = [new FakeToolCall("call_1", "get_weather", """{"city":"Paris"}""")],
    };

    public static TheoryData<string, bool> RoutesAndModes => new()
    {
        { "proxy", false }, { "proxy", true }, { "claude", false }, { "claude", true }, { "openai", false }, { "openai", true },
    };

    private static async Task<(FakeLlmServer Fake, Dictionary<string, string?> Env, ModelAlias Alias)> StartAsync(string route)
    {
        switch (route)
        {
            case "proxy":
                var proxy = await FakeLiteLlmProxy.StartAsync();
                return (proxy, TestData.ProxyEnv(proxy), Models.ClaudeFast);
            case "claude":
                var anthropic = await FakeAnthropicApi.StartAsync();
                return (anthropic, TestData.DirectEnv(anthropic), Models.ClaudeFast);
            default:
                var openAI = await FakeOpenAIApi.StartAsync();
                return (openAI, TestData.DirectEnv(openAI: openAI), Models.OpenaiFast);
        }
    }

    private static async Task<LlmResult> CallAsync(LlmGateway gateway, ModelAlias alias, IReadOnlyList<LlmMessage> messages, LlmCallOptions options, bool stream)
    {
        if (!stream)
        {
            return await gateway.ChatAsync(alias, messages, options);
        }

        LlmResult? final = null;
        await foreach (var delta in gateway.StreamChatAsync(alias, messages, options))
        {
            final = delta.Result ?? final;
        }

        return final!;
    }

    private static readonly LlmCallOptions WeatherTools = new()
    {
        Tools = [new LlmTool("get_weather", "The weather in a city.", RichRoute.Schema("city"))],
    };

    [Theory]
    [MemberData(nameof(RoutesAndModes))]
    public async Task The_same_tool_turn_twice_gives_the_same_answer_in_this_process_and_in_another_sharing_KAIT_HOME(string route, bool stream)
    {
        var (fake, env, alias) = await StartAsync(route);
        await using var _ = fake;
        fake.DefaultReply = ToolTurn;
        var workingDirectory = TempDirectory.Create();
        env["KAIT_HOME"] = Path.Combine(workingDirectory, "kait-home");
        List<LlmMessage> messages = [LlmMessage.User("Weather in Paris?")];

        LlmResult first, second, third;
        using (var harness = Harness.Create(env, workingDirectory: workingDirectory))
        {
            first = await CallAsync(harness.Gateway, alias, messages, WeatherTools, stream);
            second = await CallAsync(harness.Gateway, alias, messages, WeatherTools, !stream); // a chat serves a stream and the reverse
        }

        using (var other = Harness.Create(env, workingDirectory: workingDirectory))
        {
            third = await CallAsync(other.Gateway, alias, messages, WeatherTools, stream);
        }

        Assert.Single(fake.Requests);
        Assert.False(first.Cached);
        foreach (var again in new[] { second, third })
        {
            Assert.True(again.Cached);
            var call = Assert.Single(again.ToolCalls);
            Assert.Equal(("call_1", "get_weather"), (call.Id, call.Name));
            Assert.Equal("Paris", System.Text.Json.JsonDocument.Parse(call.ArgumentsJson).RootElement.GetProperty("city").GetString());
            Assert.Equal(first.FinishReason, again.FinishReason);
            Assert.Equal("tool_calls", again.FinishReason);
            Assert.Equal(first.Text, again.Text);
            Assert.Equal(first.Route, again.Route);
        }
    }

    [Theory]
    [MemberData(nameof(RoutesAndModes))]
    public async Task A_UseFunctionInvocation_loop_asked_twice_gives_the_same_answer_the_second_time(string route, bool stream)
    {
        var (fake, env, alias) = await StartAsync(route);
        await using var _ = fake;
        fake.Enqueue(ToolTurn, new FakeReply { Text = "Paris is sunny." });
        using var harness = Harness.Create(env);
        var weather = AIFunctionFactory.Create((string city) => "sunny", "get_weather", "The weather in a city.");
        using var client = new ChatClientBuilder(harness.Gateway.AsChatClient(alias)).UseFunctionInvocation().Build();

        async Task<string> AskAsync()
        {
            List<ChatMessage> messages = [new(ChatRole.User, "Weather in Paris?")];
            var options = new ChatOptions { Tools = [weather] };
            if (!stream)
            {
                return (await client.GetResponseAsync(messages, options)).Text;
            }

            var updates = new List<ChatResponseUpdate>();
            await foreach (var update in client.GetStreamingResponseAsync(messages, options))
            {
                updates.Add(update);
            }

            return updates.ToChatResponse().Text;
        }

        Assert.Equal("Paris is sunny.", await AskAsync());
        Assert.Equal("Paris is sunny.", await AskAsync()); // was empty: the cached tool turn had lost its tool calls
        Assert.Equal(2, fake.Requests.Count);
    }

    [Theory]
    [InlineData("proxy")]
    [InlineData("claude")]
    [InlineData("openai")]
    public async Task Identical_streams_and_chats_in_flight_at_once_make_one_upstream_call(string route)
    {
        var (fake, env, alias) = await StartAsync(route);
        await using var _ = fake;
        fake.DefaultReply = new FakeReply { Text = "One answer for all of you.", Delay = TimeSpan.FromMilliseconds(400) };
        using var harness = Harness.Create(env);
        List<LlmMessage> messages = [LlmMessage.User("Same question")];

        var calls = Enumerable.Range(0, 4).Select(i => CallAsync(harness.Gateway, alias, messages, LlmCallOptions.None, stream: i != 3)).ToArray();
        var results = await Task.WhenAll(calls);

        Assert.Single(fake.Requests);
        Assert.All(results, r => Assert.Equal("One answer for all of you.", r.Text));
        Assert.Equal(3, results.Count(r => r.Cached)); // the waiters are served the one answer (0 USD, CostSource.Cache)
        var rows = await harness.RowsAsync();
        Assert.Equal(4, rows.Count);
        Assert.Equal(1, rows.Count(r => !r.CacheHit));
    }

    public static TheoryData<string, string> Variations()
    {
        var data = new TheoryData<string, string>();
        foreach (var route in new[] { "proxy", "claude", "openai" })
        {
            foreach (var variation in new[] { "image", "schema", "tools", "tool_choice", "temperature", "user", "metadata" })
            {
                if (variation == "metadata" && route != "proxy")
                {
                    continue; // metadata goes to the proxy only
                }

                data.Add(route, variation);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Variations))]
    public async Task A_request_that_differs_in_what_is_sent_reaches_the_upstream(string route, string variation)
    {
        var (fake, env, alias) = await StartAsync(route);
        await using var _ = fake;
        if (route == "claude" && variation == "temperature")
        {
            env["KAIT_ANTHROPIC_VERSION"] = "2023-06-01"; // the default version (2026-10-21) has no temperature
        }

        using var harness = Harness.Create(env);
        var tools = new LlmCallOptions { Tools = [new LlmTool("a", "A.", RichRoute.Schema("x"))] };
        var (messages, options, changedMessages, changedOptions) = variation switch
        {
            "image" => (Image("https://example.test/a.png"), LlmCallOptions.None, Image("https://example.test/b.png"), LlmCallOptions.None),
            "schema" => (TestData.Hello, new LlmCallOptions { ResponseFormat = LlmResponseFormat.ForJsonSchema(RichRoute.Schema("a"), "r") }, TestData.Hello, new LlmCallOptions { ResponseFormat = LlmResponseFormat.ForJsonSchema(RichRoute.Schema("b"), "r") }),
            "tools" => (TestData.Hello, tools, TestData.Hello, new LlmCallOptions { Tools = [new LlmTool("b", "B.", RichRoute.Schema("x"))] }),
            "tool_choice" => (TestData.Hello, tools, TestData.Hello, tools with { ToolChoice = LlmToolChoice.Required }),
            "temperature" => (TestData.Hello, new LlmCallOptions { Temperature = 0.1 }, TestData.Hello, new LlmCallOptions { Temperature = 0.9 }),
            "user" => (TestData.Hello, new LlmCallOptions { User = "ann" }, TestData.Hello, new LlmCallOptions { User = "bob" }),
            _ => (TestData.Hello, new LlmCallOptions { Metadata = new Dictionary<string, string> { ["team"] = "a" } }, TestData.Hello, new LlmCallOptions { Metadata = new Dictionary<string, string> { ["team"] = "b" } }),
        };

        var first = await harness.Gateway.ChatAsync(alias, messages, options);
        var same = await harness.Gateway.ChatAsync(alias, messages, options);
        var changed = await harness.Gateway.ChatAsync(alias, changedMessages, changedOptions);

        Assert.False(first.Cached);
        Assert.True(same.Cached);
        Assert.False(changed.Cached);
        Assert.Equal(2, fake.Requests.Count);
    }

    private static IReadOnlyList<LlmMessage> Image(string url) =>
        [LlmMessage.User(LlmContentPart.FromText("What is this?"), LlmContentPart.FromImageUrl(new Uri(url)))];

    [Fact]
    public async Task An_embedding_after_a_proxy_503_is_retried_and_booked_with_the_proxy_cost()
    {
        await using var proxy = await FakeLiteLlmProxy.StartAsync();
        proxy.Enqueue(FakeReply.Error(503, "overloaded"), new FakeReply { InputTokens = 4, CostHeader = "0.0000004", CallId = "emb-2" });
        var env = TestData.ProxyEnv(proxy);
        env["KAIT_RETRIES"] = "2";
        using var harness = Harness.Create(env, config: new Dictionary<string, string?> { ["Kait:Resilience:RetryBaseDelay"] = "00:00:00.010" });

        var embeddings = await harness.Gateway.EmbedAsync(new ModelAlias("text-embed", []), ["alpha"]);

        Assert.Equal(2, proxy.Requests.Count);
        Assert.Equal(0.0000004m, embeddings.CostUsd);
        var row = Assert.Single(await harness.RowsAsync());
        Assert.Equal(("text-embed", "proxy", 2, 0.0000004m, "emb-2"), (row.Alias, row.Route, row.Attempts, row.CostUsd, row.CallId));
        Assert.Equal(4, row.Usage.InputTokens);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_POST_cut_before_its_answer_may_have_been_billed_so_its_retry_is_a_setting_and_both_attempts_are_booked(bool retryAfterPossibleBilling)
    {
        await using var openAI = await FakeOpenAIApi.StartAsync();
        openAI.Enqueue(new FakeReply { ResetAfterEvents = 0 }, new FakeReply { Text = "Second time lucky.", InputTokens = 10, OutputTokens = 4 });
        using var harness = Harness.Create(TestData.DirectEnv(openAI: openAI), new Dictionary<string, string?>
        {
            ["Kait:Resilience:RetryBaseDelay"] = "00:00:00.010",
            ["Kait:Costs:RetryAfterPossibleBilling"] = retryAfterPossibleBilling ? "true" : "false",
        });

        var outcome = await Record.ExceptionAsync(() => harness.Gateway.ChatAsync(Models.OpenaiFast, TestData.Hello));
        var row = Assert.Single(await harness.RowsAsync());

        if (retryAfterPossibleBilling)
        {
            Assert.Null(outcome);
            Assert.Equal(2, openAI.Requests.Count);

            // The cut attempt may have been billed: the row holds the answer's price plus one estimate for it.
            Assert.Equal((LlmCallStatus.Ok, CostSource.Estimated, 2), (row.Status, row.CostSource, row.Attempts));
            Assert.True(row.CostUsd > 0m);
        }
        else
        {
            Assert.IsType<ProviderUnavailableException>(outcome);
            Assert.Single(openAI.Requests);
            Assert.Equal((LlmCallStatus.PossiblyBilled, CostSource.Estimated, 1), (row.Status, row.CostSource, row.Attempts));
            Assert.True(row.CostUsd > 0m);
        }
    }

    [Theory]
    [InlineData("proxy")]
    [InlineData("claude")]
    [InlineData("openai")]
    public async Task Bodies_go_out_with_Content_Length_and_Kaits_User_Agent_never_chunked(string route)
    {
        var (fake, env, alias) = await StartAsync(route);
        await using var _ = fake;
        using var harness = Harness.Create(env);

        await harness.Gateway.ChatAsync(alias, TestData.Hello);
        await foreach (var delta in harness.Gateway.StreamChatAsync(alias, [LlmMessage.User("Stream, please.")]))
        {
        }

        Assert.Equal(2, fake.Requests.Count);
        foreach (var request in fake.Requests)
        {
            Assert.Equal(System.Text.Encoding.UTF8.GetByteCount(request.Body).ToString(System.Globalization.CultureInfo.InvariantCulture), request.Header("Content-Length"));
            Assert.Null(request.Header("Transfer-Encoding"));
            Assert.Matches(@"^Kait\.Sdk/\d+\.\d+\.\d+\S* \(\.NET \d+\.\d+\.\d+; [a-z0-9-]+\)$", request.Header("User-Agent"));
        }
    }
}

/// <summary>The shared cache store is not trusted: an entry must carry this install's MAC and belong to the key it is
/// read for (anyone who can write the SQLite file or the Redis cannot plant an answer).</summary>
public sealed class CacheStoreTamperingTests
{
    [Theory]
    [InlineData("forged")]
    [InlineData("swapped")]
    public async Task A_stored_entry_that_was_forged_or_moved_to_another_key_is_a_miss_not_an_answer(string tampering)
    {
        await using var proxy = await FakeLiteLlmProxy.StartAsync();
        proxy.Responder = request => new FakeReply { Text = "Answer to " + request.Json().GetProperty("messages")[0].GetProperty("content").GetString() };
        var workingDirectory = TempDirectory.Create();
        var env = TestData.ProxyEnv(proxy);
        env["KAIT_HOME"] = Path.Combine(workingDirectory, "kait-home");
        using (var first = Harness.Create(env, workingDirectory: workingDirectory))
        {
            Assert.Equal("Answer to a", (await first.Gateway.ChatAsync(Models.ClaudeFast, [LlmMessage.User("a")])).Text);
            Assert.Equal("Answer to b", (await first.Gateway.ChatAsync(Models.ClaudeFast, [LlmMessage.User("b")])).Text);
        }

        var database = Path.Combine(env["KAIT_HOME"]!, "response_cache.db");
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=" + database + ";Pooling=False"))
        {
            await connection.OpenAsync();
            var command = connection.CreateCommand();
            if (tampering == "forged")
            {
                // An attacker rewrites the stored answers' text (and cannot make a MAC without the install's salt).
                command.CommandText = "UPDATE entries SET value = CAST(replace(CAST(value AS TEXT), 'Answer to', 'Planted by') AS BLOB)";
            }
            else
            {
                // An attacker copies b's genuine entry (MAC and all) over a's.
                command.CommandText = "UPDATE entries SET value = (SELECT value FROM entries ORDER BY rowid DESC LIMIT 1) WHERE rowid = (SELECT MIN(rowid) FROM entries)";
            }

            Assert.True(await command.ExecuteNonQueryAsync() > 0);
        }

        using var second = Harness.Create(env, workingDirectory: workingDirectory);
        var again = await second.Gateway.ChatAsync(Models.ClaudeFast, [LlmMessage.User("a")]);

        Assert.Equal("Answer to a", again.Text);
        Assert.False(again.Cached);
        Assert.Equal(3, proxy.Requests.Count);
    }
}
