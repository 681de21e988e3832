#pragma warning disable OPENAI001 // Seed is experimental in the OpenAI SDK; it is on the wire all the same.
#pragma warning disable SCME0001 // The OpenAI SDK's JSON patch (raw fields) is experimental; what it writes is on the wire all the same.
using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Anthropic;
using Anthropic.Models.Messages;
using Kait.Sdk.Testing;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Embeddings;
using AnthropicTool = Anthropic.Models.Messages.Tool;
using MeaiChatMessage = Microsoft.Extensions.AI.ChatMessage;
using MeaiChatOptions = Microsoft.Extensions.AI.ChatOptions;
using MeaiChatRole = Microsoft.Extensions.AI.ChatRole;
using MeaiReasoningEffort = Microsoft.Extensions.AI.ReasoningEffort;
using MeaiReasoningOptions = Microsoft.Extensions.AI.ReasoningOptions;
using MeaiResponseFormat = Microsoft.Extensions.AI.ChatResponseFormat;
using OpenAIChatMessage = OpenAI.Chat.ChatMessage;

namespace Kait.Sdk.Tests.Differential;

/// <summary>
/// Differential tests of the wire: the same logical request sent through Kait and through the official SDK of that
/// wire (OpenAI 2.15 for the LiteLLM proxy and the OpenAI bridge, Anthropic 13.14 for Messages) to the same loopback
/// fake; the two captured requests are normalised (<see cref="WireCapture"/>) and must be equal, but for the
/// differences each case names, each with its written reason (<see cref="AllowedDifferences"/>).
/// </summary>
public sealed class DifferentialTests
{
    private const string ProxyModel = "openai-fast";
    private const string OpenAIModel = "gpt-4o-mini";
    private const string ClaudeModel = "claude-haiku-4-5-20251001";

    private static readonly AllowedDifference[] Json = [AllowedDifferences.ContentTypeCharset];
    private static readonly AllowedDifference[] Claude = [AllowedDifferences.ContentTypeCharset, AllowedDifferences.AnthropicKeyHeader];

    private static readonly JsonElement WeatherSchema = JsonDocument.Parse("""
        {"type":"object","properties":{"city":{"type":"string"},"celsius":{"type":"integer"}},"required":["city","celsius"],"additionalProperties":false}
        """).RootElement.Clone();

    private static readonly JsonElement LookupSchema = JsonDocument.Parse("""
        {"type":"object","properties":{"q":{"type":"string"}},"required":["q"]}
        """).RootElement.Clone();

    private static readonly byte[] Png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

    private static readonly Uri ImageUrl = new("https://example.test/cat.png");

    /// <summary>Every case/route pair: (case, route).</summary>
    public static TheoryData<string> Pairs()
    {
        var data = new TheoryData<string>();
        foreach (var pair in Cases.Keys)
        {
            data.Add(pair);
        }

        return data;
    }

    [Fact]
    public void The_suite_has_at_least_25_case_route_pairs_over_all_three_wires()
    {
        Assert.True(Cases.Count >= 25, $"{Cases.Count} pairs");
        foreach (var wire in Enum.GetValues<Wire>())
        {
            Assert.Contains(Cases.Values, c => c.Wire == wire);
        }
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public async Task Kait_sends_what_the_official_sdk_sends(string pair)
    {
        var c = Cases[pair];
        await using FakeLlmServer fake = c.Wire switch
        {
            Wire.Proxy => await FakeLiteLlmProxy.StartAsync(),
            Wire.OpenAI => await FakeOpenAIApi.StartAsync(),
            _ => await FakeAnthropicApi.StartAsync(),
        };
        var env = c.Wire == Wire.Proxy ? TestData.ProxyEnv((FakeLiteLlmProxy)fake) : TestData.DirectEnv(fake as FakeAnthropicApi, fake as FakeOpenAIApi);
        if (c.RuntimeConfig is { } yaml)
        {
            var file = Path.Combine(TempDirectory.Create(), "litellm_config.yaml");
            await File.WriteAllTextAsync(file, yaml);
            env["KAIT_CONFIG"] = file;
        }

        c.Prepare?.Invoke(fake);
        using (var harness = Harness.Create(env))
        {
            await c.Kait(harness.Gateway);
        }

        await IgnoreReplyAsync(() => c.Sdk(new SdkTarget(fake, c.Wire)));

        Assert.True(fake.Requests.Count == c.Setup + 2, $"{pair}: expected {c.Setup} setup request(s), then one request from Kait and one from the SDK, got {fake.Requests.Count}");
        var kait = WireCapture.From(fake.Requests[c.Setup]);
        var sdk = WireCapture.From(fake.Requests[c.Setup + 1]);
        foreach (var rule in c.Rules)
        {
            Assert.True(rule.Apply(kait, sdk), $"{pair}: rule {rule.Name} found no difference to allow (a stale rule): remove it from the case");
        }

        Assert.Equal(Describe(sdk), Describe(kait));
    }

    private static string Describe(WireCapture capture) =>
        string.Join("\n", capture.Headers.Select(h => h.Key + ": " + h.Value)) + "\n" + (WireCapture.Normalise(capture.Body)?.ToJsonString() ?? "(none)");

    /// <summary>Runs the SDK's call; its reply (a fake's, which an SDK may not parse: a 401 for the Anthropic SDK's
    /// Bearer key, floats where base64 was asked) does not matter: the request was recorded before it.</summary>
    private static async Task IgnoreReplyAsync(Func<Task> call)
    {
        try
        {
            await call();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
        }
    }

    internal enum Wire
    {
        Proxy,
        OpenAI,
        Anthropic,
    }

    internal sealed record Case(Wire Wire, Func<LlmGateway, Task> Kait, Func<SdkTarget, Task> Sdk, AllowedDifference[] Rules)
    {
        public string? RuntimeConfig { get; init; }

        /// <summary>Scripts the fake before Kait's call (its replies).</summary>
        public Action<FakeLlmServer>? Prepare { get; init; }

        /// <summary>How many of Kait's requests come before the compared one (an earlier turn of a round trip).</summary>
        public int Setup { get; init; }
    }

    internal sealed record SdkTarget(FakeLlmServer Fake, Wire Wire)
    {
        public ChatClient OpenAIChat(string? model = null)
        {
            var (endpoint, defaultModel, key) = OpenAIEndpoint();
            return new ChatClient(model ?? defaultModel, new ApiKeyCredential(key), new OpenAIClientOptions { Endpoint = endpoint, RetryPolicy = new ClientRetryPolicy(0) });
        }

        public EmbeddingClient OpenAIEmbeddings(string model)
        {
            var (endpoint, _, key) = OpenAIEndpoint();
            return new EmbeddingClient(model, new ApiKeyCredential(key), new OpenAIClientOptions { Endpoint = endpoint, RetryPolicy = new ClientRetryPolicy(0) });
        }

        public AnthropicClient Anthropic() => new() { ApiKey = TestData.AnthropicKey, BaseUrl = Fake.BaseUrl.ToString().TrimEnd('/'), MaxRetries = 0 };

        private (Uri Endpoint, string Model, string Key) OpenAIEndpoint() => Wire == Wire.Proxy
            ? (new Uri(Fake.BaseUrl, "/v1"), ProxyModel, TestData.MasterKey)
            : (((FakeOpenAIApi)Fake).ApiBaseUrl, OpenAIModel, TestData.OpenAIKey);
    }

    /// <summary>One logical chat request: Kait's messages and options, and the same request in each SDK.</summary>
    private sealed record Chat(
        string Name,
        IReadOnlyList<LlmMessage> Messages,
        LlmCallOptions Options,
        Func<(List<OpenAIChatMessage> Messages, ChatCompletionOptions Options)>? OpenAI,
        Func<MessageCreateParams>? Anthropic,
        bool Stream = false)
    {
        public AllowedDifference[] ProxyRules { get; init; } = [AllowedDifferences.ContentTypeCharset];

        public AllowedDifference[] OpenAIRules { get; init; } = [AllowedDifferences.ContentTypeCharset];

        public AllowedDifference[] AnthropicRules { get; init; } = [AllowedDifferences.ContentTypeCharset, AllowedDifferences.AnthropicKeyHeader];
    }

    private static readonly Dictionary<string, Case> Cases = Build();

    private static Dictionary<string, Case> Build()
    {
        var cases = new Dictionary<string, Case>(StringComparer.Ordinal);
        foreach (var chat in Chats())
        {
            if (chat.OpenAI is { } openAI)
            {
                cases[chat.Name + " / proxy"] = new Case(Wire.Proxy, g => KaitChat(g, Models.OpenaiFast, chat), t => OpenAIChat(t, openAI, chat.Stream), chat.ProxyRules);
                cases[chat.Name + " / openai"] = new Case(Wire.OpenAI, g => KaitChat(g, Models.OpenaiFast, chat), t => OpenAIChat(t, openAI, chat.Stream), chat.OpenAIRules);
            }

            if (chat.Anthropic is { } anthropic)
            {
                cases[chat.Name + " / anthropic"] = new Case(Wire.Anthropic, g => KaitChat(g, Models.ClaudeFast, chat), t => AnthropicChat(t, anthropic, chat.Stream), chat.AnthropicRules);
            }
        }

        // Embeddings (no Anthropic bridge).
        string[] inputs = ["first text", "second text"];
        cases["embeddings / proxy"] = new Case(
            Wire.Proxy,
            g => g.EmbedAsync(Models.OpenaiFast, inputs, new LlmCallOptions { User = "u-7" }),
            t => t.OpenAIEmbeddings(ProxyModel).GenerateEmbeddingsAsync(inputs, new EmbeddingGenerationOptions { EndUserId = "u-7" }),
            [.. Json, AllowedDifferences.EmbeddingsEncodingFormat]);
        cases["embeddings / openai"] = new Case(
            Wire.OpenAI,
            g => g.EmbedAsync(Models.OpenaiFast, inputs, new LlmCallOptions { User = "u-7" }),
            t => t.OpenAIEmbeddings(OpenAIModel).GenerateEmbeddingsAsync(inputs, new EmbeddingGenerationOptions { EndUserId = "u-7" }),
            [.. Json, AllowedDifferences.EmbeddingsEncodingFormat]);

        // Microsoft.Extensions.AI: a strict schema asked through Kait's IChatClient reaches the proxy and OpenAI as
        // strict, as Microsoft.Extensions.AI's own OpenAI adapter sends it (ChatOptions.AdditionalProperties["strict"]).
        foreach (var wire in new[] { Wire.Proxy, Wire.OpenAI })
        {
            cases["IChatClient strict schema / " + (wire == Wire.Proxy ? "proxy" : "openai")] = new Case(
                wire,
                async g =>
                {
                    var client = g.AsChatClient(Models.OpenaiFast);
                    var options = new MeaiChatOptions
                    {
                        ResponseFormat = MeaiResponseFormat.ForJsonSchema(WeatherSchema, "weather", "A weather report."),
                        AdditionalProperties = new() { ["strict"] = true },
                    };
                    await client.GetResponseAsync([new MeaiChatMessage(MeaiChatRole.User, "Weather in Paris?")], options);
                },
                t => OpenAIChat(t, () => ([new UserChatMessage("Weather in Paris?")], new ChatCompletionOptions
                {
                    ResponseFormat = ChatResponseFormat.CreateJsonSchemaFormat("weather", BinaryData.FromString(WeatherSchema.GetRawText()), "A weather report.", jsonSchemaIsStrict: true),
                }), stream: false),
                Json);
        }

        // Microsoft.Extensions.AI: ChatOptions.Reasoning through Kait's IChatClient is the SDK's reasoning effort on the
        // proxy and OpenAI, and Anthropic's thinking (medium: budget 2,048, max_tokens 2,048 + 4,096) on the Claude bridge.
        foreach (var wire in Enum.GetValues<Wire>())
        {
            cases["IChatClient reasoning / " + RouteName(wire)] = new Case(
                wire,
                async g =>
                {
                    var client = g.AsChatClient(wire == Wire.Anthropic ? Models.ClaudeFast : Models.OpenaiFast);
                    var options = new MeaiChatOptions { Reasoning = new MeaiReasoningOptions { Effort = MeaiReasoningEffort.Medium } };
                    await client.GetResponseAsync([new MeaiChatMessage(MeaiChatRole.User, "Prove it")], options);
                },
                wire == Wire.Anthropic
                    ? t => AnthropicChat(t, () => new MessageCreateParams { Model = ClaudeModel, MaxTokens = 2048 + 4096, Thinking = new ThinkingConfigEnabled(2048), Messages = [new UserMessageParam("Prove it")] }, stream: false)
                    : t => OpenAIChat(t, () => ([new UserChatMessage("Prove it")], new ChatCompletionOptions { ReasoningEffortLevel = ChatReasoningEffortLevel.Medium }), stream: false),
                wire == Wire.Anthropic ? Claude : Json);
        }

        // Raw fields (LlmCallOptions.ExtraBody): the OpenAI SDK 2.15 writes a field it has no member for through its
        // JSON patch (ChatCompletionOptions.Patch, experimental SCME0001). Two OpenAI fields the SDK does not model.
        var raw = new Dictionary<string, JsonElement>
        {
            ["prompt_cache_key"] = JsonSerializer.SerializeToElement("docs-v1"),
            ["prediction"] = JsonDocument.Parse("""{"type":"content","content":"Hello"}""").RootElement.Clone(),
        };
        foreach (var wire in new[] { Wire.Proxy, Wire.OpenAI })
        {
            cases["raw fields / " + RouteName(wire)] = new Case(
                wire,
                g => g.ChatAsync(Models.OpenaiFast, [LlmMessage.User("Say hello")], new LlmCallOptions { ExtraBody = raw }),
                t => OpenAIChat(t, () =>
                {
                    var options = new ChatCompletionOptions();
                    options.Patch.Set("$.prompt_cache_key"u8, "docs-v1");
                    options.Patch.Set("$.prediction"u8, BinaryData.FromString("""{"type":"content","content":"Hello"}"""));
                    return ([new UserChatMessage("Say hello")], options);
                }, stream: false),
                Json);
        }

        // Through the proxy: a thinking budget (reasoning_effort and LiteLLM's 'thinking', which the OpenAI SDK writes
        // through its patch) to a Claude alias, and spend tags beside Metadata's strings (LiteLLM's metadata.tags, a list:
        // the SDK's Metadata holds strings only, so the whole object goes through the patch).
        cases["thinking budget / proxy"] = new Case(
            Wire.Proxy,
            g => g.ChatAsync(Models.ClaudeFast, [LlmMessage.User("Prove it")], new LlmCallOptions { Reasoning = new LlmReasoning(LlmReasoningEffort.Medium) { BudgetTokens = 3000 } }),
            t => OpenAIChat(t, () =>
            {
                var options = new ChatCompletionOptions { ReasoningEffortLevel = ChatReasoningEffortLevel.Medium };
                options.Patch.Set("$.thinking"u8, BinaryData.FromString("""{"type":"enabled","budget_tokens":3000}"""));
                return ([new UserChatMessage("Prove it")], options);
            }, stream: false, model: "claude-fast"),
            Json);
        cases["tags and metadata / proxy"] = new Case(
            Wire.Proxy,
            g => g.ChatAsync(Models.OpenaiFast, [LlmMessage.User("Hi")], new LlmCallOptions { Tags = ["team:search", "job:42"], Metadata = new Dictionary<string, string> { ["trace"] = "t-9" } }),
            t => OpenAIChat(t, () =>
            {
                // The whole object: a patch at $.metadata.tags replaces the SDK's own Metadata entries (seen on the wire).
                var options = new ChatCompletionOptions();
                options.Patch.Set("$.metadata"u8, BinaryData.FromString("""{"trace":"t-9","tags":["team:search","job:42"]}"""));
                return ([new UserChatMessage("Hi")], options);
            }, stream: false),
            Json);

        // Prompt caching through the proxy: breakpoints on the OpenAI-shaped system part, the last tool and a marked
        // user message, which LiteLLM passes on to Anthropic. The OpenAI SDK has no cache_control; its JSON patch on the
        // messages and the tool writes it (OpenAI itself refuses the field: Kait sends none on the OpenAI bridge).
        cases["prompt caching / proxy"] = new Case(
            Wire.Proxy,
            g => g.ChatAsync(
                Models.ClaudeFast,
                [LlmMessage.System("Long instructions."), LlmMessage.User("A long document.") with { CacheBreakpoint = true }, LlmMessage.User("Summarise it.")],
                new LlmCallOptions { PromptCaching = LlmPromptCaching.SystemAndTools, Tools = [new LlmTool("first", "Looks a thing up first.", LookupSchema), new LlmTool("lookup", "Looks a thing up.", LookupSchema)] }),
            t => OpenAIChat(t, () =>
            {
                // The SDK writes a message of one text part as a string (seen on the wire, the part's patch lost): the
                // message's content is patched whole.
                var system = new SystemChatMessage("Long instructions.");
                system.Patch.Set("$.content"u8, BinaryData.FromString("""[{"type":"text","text":"Long instructions.","cache_control":{"type":"ephemeral"}}]"""));
                var document = new UserChatMessage("A long document.");
                document.Patch.Set("$.content"u8, BinaryData.FromString("""[{"type":"text","text":"A long document.","cache_control":{"type":"ephemeral"}}]"""));
                var options = new ChatCompletionOptions();
                options.Tools.Add(ChatTool.CreateFunctionTool("first", "Looks a thing up first.", BinaryData.FromString(LookupSchema.GetRawText())));
                var last = ChatTool.CreateFunctionTool("lookup", "Looks a thing up.", BinaryData.FromString(LookupSchema.GetRawText()));
                last.Patch.Set("$.cache_control"u8, BinaryData.FromString("""{"type":"ephemeral"}"""));
                options.Tools.Add(last);
                return ([system, document, new UserChatMessage("Summarise it.")], options);
            }, stream: false, model: "claude-fast"),
            Json);

        // Thinking with tool use, round trip: Kait's first turn gets a signed thinking block and a tool call from the fake
        // (which, like Anthropic, refuses the next turn unless that block comes back first and unchanged); the second turn,
        // built with LlmResult.ToAssistantMessage(), is compared with the same turn written with the Anthropic SDK.
        cases["thinking and tool round trip / anthropic"] = new Case(
            Wire.Anthropic,
            async g =>
            {
                var options = new LlmCallOptions { MaxTokens = 2000, Reasoning = LlmReasoning.Low, Tools = [new LlmTool("lookup", "Looks a thing up.", LookupSchema)] };
                List<LlmMessage> chat = [LlmMessage.User("Look up cats")];
                var first = await g.ChatAsync(Models.ClaudeFast, chat, options);
                Assert.Equal([new LlmReasoningBlock(ThoughtText, ThoughtSignature)], first.ReasoningBlocks);
                chat.Add(first.ToAssistantMessage());
                chat.Add(LlmMessage.ToolResult(first.ToolCalls[0].Id, "Cats purr."));
                await g.ChatAsync(Models.ClaudeFast, chat, options);
            },
            ThinkingRoundTripSdk,
            Claude)
        {
            Prepare = fake => fake.DefaultReply = ThinkingToolReply,
            Setup = 1,
        };

        // The round trip through Kait's IChatClient as M.E.AI code writes it: the first response's messages appended
        // (its TextReasoningContent carries the signature as ProtectedData), then the tool's result.
        cases["IChatClient thinking and tool round trip / anthropic"] = new Case(
            Wire.Anthropic,
            async g =>
            {
                var client = g.AsChatClient(Models.ClaudeFast);
                var options = new MeaiChatOptions
                {
                    MaxOutputTokens = 2000,
                    Reasoning = new MeaiReasoningOptions { Effort = MeaiReasoningEffort.Low },
                    Tools = [Microsoft.Extensions.AI.AIFunctionFactory.CreateDeclaration("lookup", "Looks a thing up.", LookupSchema)],
                };
                List<MeaiChatMessage> chat = [new(MeaiChatRole.User, "Look up cats")];
                var first = await client.GetResponseAsync(chat, options);
                chat.AddRange(first.Messages);
                var call = first.Messages.SelectMany(m => m.Contents).OfType<Microsoft.Extensions.AI.FunctionCallContent>().Single();
                chat.Add(new MeaiChatMessage(MeaiChatRole.Tool, [new Microsoft.Extensions.AI.FunctionResultContent(call.CallId, "Cats purr.")]));
                await client.GetResponseAsync(chat, options);
            },
            ThinkingRoundTripSdk,
            Claude)
        {
            Prepare = fake => fake.DefaultReply = ThinkingToolReply,
            Setup = 1,
        };

        // The same round trip through the proxy: the signed block goes back as LiteLLM's thinking_blocks on the assistant
        // message (https://docs.litellm.ai/docs/reasoning_content), which the OpenAI SDK writes through its JSON patch.
        cases["thinking and tool round trip / proxy"] = new Case(
            Wire.Proxy,
            async g =>
            {
                var options = new LlmCallOptions { Reasoning = LlmReasoning.Low, Tools = [new LlmTool("lookup", "Looks a thing up.", LookupSchema)] };
                List<LlmMessage> chat = [LlmMessage.User("Look up cats")];
                var first = await g.ChatAsync(Models.ClaudeFast, chat, options);
                Assert.Equal([new LlmReasoningBlock(ThoughtText, ThoughtSignature)], first.ReasoningBlocks);
                chat.Add(first.ToAssistantMessage());
                chat.Add(LlmMessage.ToolResult(first.ToolCalls[0].Id, "Cats purr."));
                await g.ChatAsync(Models.ClaudeFast, chat, options);
            },
            t => OpenAIChat(t, () =>
            {
                var assistant = new AssistantChatMessage([ChatToolCall.CreateFunctionToolCall("toolu_1", "lookup", BinaryData.FromString("""{"q":"cats"}"""))]);
                assistant.Content.Add(ChatMessageContentPart.CreateTextPart("Let me look."));
                assistant.Patch.Set("$.thinking_blocks"u8, BinaryData.FromString(JsonSerializer.Serialize(new[] { new { type = "thinking", thinking = ThoughtText, signature = ThoughtSignature } })));
                return (
                    [new UserChatMessage("Look up cats"), assistant, new ToolChatMessage("toolu_1", "Cats purr.")],
                    WithTools(new ChatCompletionOptions { ReasoningEffortLevel = ChatReasoningEffortLevel.Low }));
            }, stream: false, model: "claude-fast"),
            Json)
        {
            Prepare = fake => fake.DefaultReply = ThinkingToolReply,
            Setup = 1,
        };

        // Anthropic's native structured output, for a model whose model_info says it supports it.
        cases["json schema native / anthropic"] = new Case(
            Wire.Anthropic,
            async g =>
            {
                var name = NativeAlias; // from the run-time config (KAIT_CONFIG), its model_info over the model map
                await g.ChatAsync(name, [LlmMessage.User("Weather in Paris?")], new LlmCallOptions
                {
                    MaxTokens = 300,
                    ResponseFormat = LlmResponseFormat.ForJsonSchema(WeatherSchema, "weather"),
                });
            },
            t => AnthropicChat(t, () => new MessageCreateParams
            {
                Model = ClaudeModel,
                MaxTokens = 300,
                Messages = [new UserMessageParam("Weather in Paris?")],
                OutputConfig = new OutputConfig { Format = new JsonOutputFormat { Schema = Dictionary(WeatherSchema) } },
            }, stream: false),
            Claude)
        {
            RuntimeConfig = NativeConfigText,
        };
        return cases;
    }

    private const string ThoughtText = "The user wants cats; the lookup tool has them.";

    private const string ThoughtSignature = "EqoBCkgIARABGAIiQL2UoU0b1OHYi+signed-thought";

    /// <summary>The fake's first answer in a thinking round trip: a signed thinking block, text and a tool call.</summary>
    private static readonly FakeReply ThinkingToolReply = new()
    {
        Reasoning = ThoughtText,
        ReasoningSignature = ThoughtSignature,
        Text = "Let me look.",
        ToolCalls = [new FakeToolCall("toolu_1", "lookup", """{"q":"cats"}""")],
    };

    /// <summary>The second turn of the thinking round trip, written with the Anthropic SDK: the signed block first.</summary>
    private static Task ThinkingRoundTripSdk(SdkTarget target) => AnthropicChat(target, () => new MessageCreateParams
        {
            Model = ClaudeModel,
            MaxTokens = 2000,
            Thinking = new ThinkingConfigEnabled(1024),
            Messages =
            [
                new UserMessageParam("Look up cats"),
                new AssistantMessageParam(new List<ContentBlockParam>
                {
                    new ThinkingBlockParam { Thinking = ThoughtText, Signature = ThoughtSignature },
                    new TextBlockParam("Let me look."),
                    new ToolUseBlockParam { ID = "toolu_1", Name = "lookup", Input = new Dictionary<string, JsonElement> { ["q"] = JsonSerializer.SerializeToElement("cats") } },
                }),
                new UserMessageParam(new List<ContentBlockParam> { new ToolResultBlockParam("toolu_1") { Content = "Cats purr." } }),
            ],
            Tools = [LookupTool()],
        }, stream: false);

    private static string RouteName(Wire wire) => wire switch
    {
        Wire.Proxy => "proxy",
        Wire.OpenAI => "openai",
        _ => "anthropic",
    };

    private static readonly string NativeAlias = "claude-native";

    private const string NativeConfigText = """
        model_list:
          - model_name: claude-native
            litellm_params:
              model: anthropic/claude-haiku-4-5-20251001
              api_key: os.environ/ANTHROPIC_API_KEY
            model_info:
              supports_native_structured_output: true
        """;

    private static IEnumerable<Chat> Chats()
    {
        yield return new Chat(
            "system and user text",
            [LlmMessage.System("Be brief."), LlmMessage.User("Hello!")],
            new LlmCallOptions { MaxTokens = 200 },
            () => ([new SystemChatMessage("Be brief."), new UserChatMessage("Hello!")], new ChatCompletionOptions { MaxOutputTokenCount = 200 }),
            () => new MessageCreateParams { Model = ClaudeModel, MaxTokens = 200, System = "Be brief.", Messages = [new UserMessageParam("Hello!")] })
        {
            ProxyRules = [.. Json, AllowedDifferences.ProxyMaxTokens],
        };

        yield return new Chat(
            "multi-turn",
            [LlmMessage.System("Be brief."), LlmMessage.User("Hi"), LlmMessage.Assistant("Hello."), LlmMessage.User("Again")],
            new LlmCallOptions { MaxTokens = 64 },
            () => ([new SystemChatMessage("Be brief."), new UserChatMessage("Hi"), new AssistantChatMessage("Hello."), new UserChatMessage("Again")], new ChatCompletionOptions { MaxOutputTokenCount = 64 }),
            () => new MessageCreateParams
            {
                Model = ClaudeModel,
                MaxTokens = 64,
                System = "Be brief.",
                Messages = [new UserMessageParam("Hi"), new AssistantMessageParam("Hello."), new UserMessageParam("Again")],
            })
        {
            ProxyRules = [.. Json, AllowedDifferences.ProxyMaxTokens],
        };

        // Sampling: OpenAI only. The Anthropic SDK 13 has no sampling fields (API version 2026-10-21 removed them);
        // Kait refuses them on that version (AnthropicSamplingTests).
        yield return new Chat(
            "sampling, stop, seed, user",
            [LlmMessage.User("Pick a number")],
            new LlmCallOptions { Temperature = 0.5, TopP = 0.25, Stop = ["###", "END"], Seed = 42, User = "u-1" },
            () => ([new UserChatMessage("Pick a number")], WithStops(new ChatCompletionOptions { Temperature = 0.5f, TopP = 0.25f, Seed = 42, EndUserId = "u-1" }, "###", "END")),
            null);

        yield return new Chat(
            "stop sequences and user",
            [LlmMessage.User("Count")],
            new LlmCallOptions { MaxTokens = 50, Stop = ["###"], User = "u-2" },
            null,
            () => new MessageCreateParams { Model = ClaudeModel, MaxTokens = 50, StopSequences = ["###"], Metadata = new Metadata { UserID = "u-2" }, Messages = [new UserMessageParam("Count")] });

        yield return new Chat(
            "tools, auto",
            [LlmMessage.User("Look up cats")],
            new LlmCallOptions { MaxTokens = 100, Tools = [new LlmTool("lookup", "Looks a thing up.", LookupSchema)], ToolChoice = LlmToolChoice.Auto },
            () => ([new UserChatMessage("Look up cats")], WithTools(new ChatCompletionOptions { MaxOutputTokenCount = 100, ToolChoice = ChatToolChoice.CreateAutoChoice() })),
            () => new MessageCreateParams
            {
                Model = ClaudeModel,
                MaxTokens = 100,
                Messages = [new UserMessageParam("Look up cats")],
                Tools = [LookupTool()],
                ToolChoice = new ToolChoiceAuto(),
            })
        {
            ProxyRules = [.. Json, AllowedDifferences.ProxyMaxTokens],
        };

        yield return new Chat(
            "tools, named, no parallel calls",
            [LlmMessage.User("Look up cats")],
            new LlmCallOptions { MaxTokens = 100, Tools = [new LlmTool("lookup", "Looks a thing up.", LookupSchema)], ToolChoice = LlmToolChoice.Named("lookup"), ParallelToolCalls = false },
            () => ([new UserChatMessage("Look up cats")], WithTools(new ChatCompletionOptions { MaxOutputTokenCount = 100, ToolChoice = ChatToolChoice.CreateFunctionChoice("lookup"), AllowParallelToolCalls = false })),
            () => new MessageCreateParams
            {
                Model = ClaudeModel,
                MaxTokens = 100,
                Messages = [new UserMessageParam("Look up cats")],
                Tools = [LookupTool()],
                ToolChoice = new ToolChoiceTool("lookup") { DisableParallelToolUse = true },
            })
        {
            ProxyRules = [.. Json, AllowedDifferences.ProxyMaxTokens],
        };

        yield return new Chat(
            "tools, required",
            [LlmMessage.User("Look up dogs")],
            new LlmCallOptions { MaxTokens = 100, Tools = [new LlmTool("lookup", "Looks a thing up.", LookupSchema)], ToolChoice = LlmToolChoice.Required },
            () => ([new UserChatMessage("Look up dogs")], WithTools(new ChatCompletionOptions { MaxOutputTokenCount = 100, ToolChoice = ChatToolChoice.CreateRequiredChoice() })),
            () => new MessageCreateParams
            {
                Model = ClaudeModel,
                MaxTokens = 100,
                Messages = [new UserMessageParam("Look up dogs")],
                Tools = [LookupTool()],
                ToolChoice = new ToolChoiceAny(),
            })
        {
            ProxyRules = [.. Json, AllowedDifferences.ProxyMaxTokens],
        };

        yield return new Chat(
            "tool round trip",
            [
                LlmMessage.User("Look up cats"),
                LlmMessage.AssistantToolCalls([new LlmToolCall("call_1", "lookup", """{"q":"cats"}""")]),
                LlmMessage.ToolResult("call_1", "Cats purr."),
            ],
            new LlmCallOptions { MaxTokens = 100, Tools = [new LlmTool("lookup", "Looks a thing up.", LookupSchema)] },
            () => (
                [
                    new UserChatMessage("Look up cats"),
                    new AssistantChatMessage([ChatToolCall.CreateFunctionToolCall("call_1", "lookup", BinaryData.FromString("""{"q":"cats"}"""))]),
                    new ToolChatMessage("call_1", "Cats purr."),
                ],
                WithTools(new ChatCompletionOptions { MaxOutputTokenCount = 100 })),
            () => new MessageCreateParams
            {
                Model = ClaudeModel,
                MaxTokens = 100,
                Messages =
                [
                    new UserMessageParam("Look up cats"),
                    new AssistantMessageParam(new List<ContentBlockParam>
                    {
                        new ToolUseBlockParam { ID = "call_1", Name = "lookup", Input = new Dictionary<string, JsonElement> { ["q"] = JsonSerializer.SerializeToElement("cats") } },
                    }),
                    new UserMessageParam(new List<ContentBlockParam> { new ToolResultBlockParam("call_1") { Content = "Cats purr." } }),
                ],
                Tools = [LookupTool()],
            })
        {
            ProxyRules = [.. Json, AllowedDifferences.ProxyMaxTokens],
        };

        yield return new Chat(
            "image by URL",
            [LlmMessage.User(LlmContentPart.FromText("What is it?"), LlmContentPart.FromImageUrl(ImageUrl))],
            new LlmCallOptions { MaxTokens = 80 },
            () => ([new UserChatMessage(ChatMessageContentPart.CreateTextPart("What is it?"), ChatMessageContentPart.CreateImagePart(ImageUrl))], new ChatCompletionOptions { MaxOutputTokenCount = 80 }),
            () => new MessageCreateParams
            {
                Model = ClaudeModel,
                MaxTokens = 80,
                Messages = [new UserMessageParam(new List<ContentBlockParam> { new TextBlockParam("What is it?"), new ImageBlockParam(new UrlImageSource(ImageUrl.ToString())) })],
            })
        {
            ProxyRules = [.. Json, AllowedDifferences.ProxyMaxTokens],
        };

        yield return new Chat(
            "image as base64",
            [LlmMessage.User(LlmContentPart.FromText("What is it?"), LlmContentPart.FromImageBase64(Convert.ToBase64String(Png), "image/png"))],
            new LlmCallOptions { MaxTokens = 80 },
            () => ([new UserChatMessage(ChatMessageContentPart.CreateTextPart("What is it?"), ChatMessageContentPart.CreateImagePart(BinaryData.FromBytes(Png), "image/png"))], new ChatCompletionOptions { MaxOutputTokenCount = 80 }),
            () => new MessageCreateParams
            {
                Model = ClaudeModel,
                MaxTokens = 80,
                Messages = [new UserMessageParam(new List<ContentBlockParam> { new TextBlockParam("What is it?"), new ImageBlockParam(new Base64ImageSource { Data = Convert.ToBase64String(Png), MediaType = "image/png" }) })],
            })
        {
            ProxyRules = [.. Json, AllowedDifferences.ProxyMaxTokens],
        };

        yield return new Chat(
            "json schema, strict",
            [LlmMessage.User("Weather in Paris?")],
            new LlmCallOptions { ResponseFormat = LlmResponseFormat.ForJsonSchema(WeatherSchema, "weather", "A weather report.", strict: true) },
            () => ([new UserChatMessage("Weather in Paris?")], new ChatCompletionOptions
            {
                ResponseFormat = ChatResponseFormat.CreateJsonSchemaFormat("weather", BinaryData.FromString(WeatherSchema.GetRawText()), "A weather report.", jsonSchemaIsStrict: true),
            }),
            null);

        yield return new Chat(
            "json schema, not strict",
            [LlmMessage.User("Weather in Paris?")],
            new LlmCallOptions { ResponseFormat = LlmResponseFormat.ForJsonSchema(WeatherSchema, "weather") },
            () => ([new UserChatMessage("Weather in Paris?")], new ChatCompletionOptions
            {
                ResponseFormat = ChatResponseFormat.CreateJsonSchemaFormat("weather", BinaryData.FromString(WeatherSchema.GetRawText())),
            }),
            null);

        yield return new Chat(
            "json object",
            [LlmMessage.User("Answer in JSON")],
            new LlmCallOptions { ResponseFormat = LlmResponseFormat.Json },
            () => ([new UserChatMessage("Answer in JSON")], new ChatCompletionOptions { ResponseFormat = ChatResponseFormat.CreateJsonObjectFormat() }),
            null);

        yield return new Chat(
            "stream with usage",
            [LlmMessage.System("Be brief."), LlmMessage.User("Tell me a story")],
            new LlmCallOptions { MaxTokens = 120 },
            () => ([new SystemChatMessage("Be brief."), new UserChatMessage("Tell me a story")], new ChatCompletionOptions { MaxOutputTokenCount = 120 }),
            () => new MessageCreateParams { Model = ClaudeModel, MaxTokens = 120, System = "Be brief.", Messages = [new UserMessageParam("Tell me a story")] },
            Stream: true)
        {
            ProxyRules = [.. Json, AllowedDifferences.ProxyMaxTokens],
        };

        yield return new Chat(
            "stream with tools",
            [LlmMessage.User("Look up cats")],
            new LlmCallOptions { MaxTokens = 100, Tools = [new LlmTool("lookup", "Looks a thing up.", LookupSchema)] },
            () => ([new UserChatMessage("Look up cats")], WithTools(new ChatCompletionOptions { MaxOutputTokenCount = 100 })),
            () => new MessageCreateParams { Model = ClaudeModel, MaxTokens = 100, Messages = [new UserMessageParam("Look up cats")], Tools = [LookupTool()] },
            Stream: true)
        {
            ProxyRules = [.. Json, AllowedDifferences.ProxyMaxTokens],
        };

        // Reasoning. No price map is set here, so the aliases' capabilities are unknown and the effort is sent (a model
        // that cannot reason would answer the provider's own 400). Effort high: Anthropic's budget 4,096 under max_tokens.
        yield return new Chat(
            "reasoning effort high",
            [LlmMessage.User("Prove it")],
            new LlmCallOptions { MaxTokens = 8000, Reasoning = LlmReasoning.High },
            () => ([new UserChatMessage("Prove it")], new ChatCompletionOptions { MaxOutputTokenCount = 8000, ReasoningEffortLevel = ChatReasoningEffortLevel.High }),
            () => new MessageCreateParams { Model = ClaudeModel, MaxTokens = 8000, Thinking = new ThinkingConfigEnabled(4096), Messages = [new UserMessageParam("Prove it")] })
        {
            ProxyRules = [.. Json, AllowedDifferences.ProxyMaxTokens],
        };

        // Effort low without MaxTokens: on the Claude bridge max_tokens is the budget (1,024) plus the default answer
        // allowance (KaitOptions.AnthropicDefaultMaxTokens, 4,096).
        yield return new Chat(
            "reasoning effort low, no max tokens",
            [LlmMessage.User("Prove it")],
            new LlmCallOptions { Reasoning = LlmReasoning.Low },
            () => ([new UserChatMessage("Prove it")], new ChatCompletionOptions { ReasoningEffortLevel = ChatReasoningEffortLevel.Low }),
            () => new MessageCreateParams { Model = ClaudeModel, MaxTokens = 1024 + 4096, Thinking = new ThinkingConfigEnabled(1024), Messages = [new UserMessageParam("Prove it")] });

        // A budget of its own: Anthropic only (through the proxy it adds a 'thinking' field the OpenAI SDK has no member for).
        yield return new Chat(
            "thinking budget",
            [LlmMessage.System("Be rigorous."), LlmMessage.User("Prove it")],
            new LlmCallOptions { MaxTokens = 6000, Reasoning = new LlmReasoning(LlmReasoningEffort.Medium) { BudgetTokens = 3000 } },
            null,
            () => new MessageCreateParams { Model = ClaudeModel, MaxTokens = 6000, System = "Be rigorous.", Thinking = new ThinkingConfigEnabled(3000), Messages = [new UserMessageParam("Prove it")] });

        yield return new Chat(
            "thinking, streamed",
            [LlmMessage.User("Prove it")],
            new LlmCallOptions { MaxTokens = 3000, Reasoning = LlmReasoning.Medium },
            null,
            () => new MessageCreateParams { Model = ClaudeModel, MaxTokens = 3000, Thinking = new ThinkingConfigEnabled(2048), Messages = [new UserMessageParam("Prove it")] },
            Stream: true);

        // Prompt caching: breakpoints on the system prompt and the last tool (the OpenAI SDK has no cache_control; on the
        // OpenAI bridge Kait sends none, so there is nothing to compare there).
        yield return new Chat(
            "prompt caching, system and tools",
            [LlmMessage.System("Long instructions."), LlmMessage.User("Look up cats")],
            new LlmCallOptions
            {
                MaxTokens = 100,
                PromptCaching = LlmPromptCaching.SystemAndTools,
                Tools = [new LlmTool("first", "Looks a thing up first.", LookupSchema), new LlmTool("lookup", "Looks a thing up.", LookupSchema)],
            },
            null,
            () => new MessageCreateParams
            {
                Model = ClaudeModel,
                MaxTokens = 100,
                System = new List<TextBlockParam> { new("Long instructions.") { CacheControl = new CacheControlEphemeral() } },
                Messages = [new UserMessageParam("Look up cats")],
                Tools = [LookupTool() with { Name = "first", Description = "Looks a thing up first." }, LookupTool() with { CacheControl = new CacheControlEphemeral() }],
            });

        // A marked message, and a marked system message (LlmMessage.CacheBreakpoint) without PromptCaching.
        yield return new Chat(
            "prompt caching, marked messages",
            [
                LlmMessage.System("Long instructions.") with { CacheBreakpoint = true },
                LlmMessage.User("A long document.") with { CacheBreakpoint = true },
                LlmMessage.User("Summarise it."),
            ],
            new LlmCallOptions { MaxTokens = 100 },
            null,
            () => new MessageCreateParams
            {
                Model = ClaudeModel,
                MaxTokens = 100,
                System = new List<TextBlockParam> { new("Long instructions.") { CacheControl = new CacheControlEphemeral() } },
                Messages =
                [
                    new UserMessageParam(new List<ContentBlockParam> { new TextBlockParam("A long document.") { CacheControl = new CacheControlEphemeral() } }),
                    new UserMessageParam("Summarise it."),
                ],
            });
    }

    private static async Task KaitChat(LlmGateway gateway, ModelAlias alias, Chat chat)
    {
        if (chat.Stream)
        {
            await TestData.ConcatAsync(gateway.StreamChatAsync(alias, chat.Messages, chat.Options));
        }
        else
        {
            await gateway.ChatAsync(alias, chat.Messages, chat.Options);
        }
    }

    private static async Task OpenAIChat(SdkTarget target, Func<(List<OpenAIChatMessage> Messages, ChatCompletionOptions Options)> request, bool stream, string? model = null)
    {
        var (messages, options) = request();
        var client = target.OpenAIChat(model);
        if (stream)
        {
            await foreach (var _ in client.CompleteChatStreamingAsync(messages, options))
            {
            }
        }
        else
        {
            await client.CompleteChatAsync(messages, options);
        }
    }

    private static async Task AnthropicChat(SdkTarget target, Func<MessageCreateParams> request, bool stream)
    {
        var client = target.Anthropic();
        if (stream)
        {
            await foreach (var _ in client.Messages.CreateStreaming(request()))
            {
            }
        }
        else
        {
            await client.Messages.Create(request());
        }
    }

    private static ChatCompletionOptions WithTools(ChatCompletionOptions options)
    {
        options.Tools.Add(ChatTool.CreateFunctionTool("lookup", "Looks a thing up.", BinaryData.FromString(LookupSchema.GetRawText())));
        return options;
    }

    private static ChatCompletionOptions WithStops(ChatCompletionOptions options, params string[] stops)
    {
        foreach (var stop in stops)
        {
            options.StopSequences.Add(stop);
        }

        return options;
    }

    private static AnthropicTool LookupTool() => new()
    {
        Name = "lookup",
        Description = "Looks a thing up.",
        InputSchema = new InputSchema(Dictionary(LookupSchema)),
    };

    private static Dictionary<string, JsonElement> Dictionary(JsonElement obj) =>
        obj.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal);
}
