using System.Reflection;
using System.Text;
using System.Text.Json;
using Kait.Sdk.Caching;
using Kait.Sdk.Pipeline;
using Kait.Sdk.Routing;
using Kait.Sdk.Transport;
using Kait.Sdk.Transport.Dtos;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Kait.Sdk.Tests;

/// <summary>Cache keys are complete by construction: the key hashes the exact request bytes, so every field of every
/// wire request, and every per-call option a user can set, changes the key; only the delivery fields the planner names
/// do not. The credential is never readable from the key.</summary>
public sealed class CacheKeyTests
{
    private static readonly ModelAlias Claude = new("claude-fast", [new ModelDeployment("anthropic/claude-haiku-4-5-20251001") { Provider = "anthropic" }]);
    private static readonly ModelAlias Gpt = new("openai-fast", [new ModelDeployment("openai/gpt-4.1-mini") { Provider = "openai" }]);
    private static readonly IReadOnlyList<LlmMessage> Messages = [LlmMessage.User("Hello!")];
    private static readonly byte[] Salt = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();

    private static JsonElement Schema(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    /// <summary>For every settable property of <see cref="LlmCallOptions"/>: a value other than the default. A property
    /// added later without a row here fails <see cref="Every_call_option_changes_the_key_on_every_route"/>.</summary>
    private static readonly Dictionary<string, Func<LlmCallOptions, LlmCallOptions>> OptionChanges = new()
    {
        [nameof(LlmCallOptions.Temperature)] = o => o with { Temperature = 0.3 },
        [nameof(LlmCallOptions.TopP)] = o => o with { TopP = 0.5 },
        [nameof(LlmCallOptions.MaxTokens)] = o => o with { MaxTokens = 77 },
        [nameof(LlmCallOptions.Stop)] = o => o with { Stop = ["END"] },
        [nameof(LlmCallOptions.Seed)] = o => o with { Seed = 42 },
        [nameof(LlmCallOptions.User)] = o => o with { User = "user-7" },
        [nameof(LlmCallOptions.Metadata)] = o => o with { Metadata = new Dictionary<string, string> { ["team"] = "blue" } },
        [nameof(LlmCallOptions.ExtraHeaders)] = o => o with { ExtraHeaders = new Dictionary<string, string> { ["x-trace"] = "1" } },
        [nameof(LlmCallOptions.VirtualKey)] = o => o with { VirtualKey = "sk-virtual-1" },
        [nameof(LlmCallOptions.Tools)] = o => o with { Tools = [new LlmTool("lookup", "Looks up", Schema("""{"type":"object"}"""))] },
        [nameof(LlmCallOptions.ToolChoice)] = o => o with { Tools = [new LlmTool("lookup", "Looks up", Schema("""{"type":"object"}"""))], ToolChoice = LlmToolChoice.Required },
        [nameof(LlmCallOptions.ParallelToolCalls)] = o => o with { Tools = [new LlmTool("lookup", "Looks up", Schema("""{"type":"object"}"""))], ParallelToolCalls = false },
        [nameof(LlmCallOptions.ResponseFormat)] = o => o with { ResponseFormat = LlmResponseFormat.ForJsonSchema(Schema("""{"type":"object","properties":{"a":{"type":"string"}}}"""), "answer") },
        [nameof(LlmCallOptions.Cache)] = o => o with { Cache = new LlmCacheControl { Namespace = "tenant-2" } },
        [nameof(LlmCallOptions.Reasoning)] = o => o with { Reasoning = LlmReasoning.Low },
        [nameof(LlmCallOptions.PromptCaching)] = o => o with { PromptCaching = LlmPromptCaching.SystemAndTools, Tools = [new LlmTool("lookup", "Looks up", Schema("""{"type":"object"}"""))] },
        [nameof(LlmCallOptions.Tags)] = o => o with { Tags = ["team:blue"] },
        [nameof(LlmCallOptions.ExtraBody)] = o => o with { ExtraBody = new Dictionary<string, JsonElement> { ["top_k"] = Schema("5") } },
    };

    /// <summary>Options that do not change what is asked, each with its reason.</summary>
    private static readonly Dictionary<string, string> NotInTheKey = new()
    {
        [nameof(LlmCallOptions.Timeout)] = "how long the caller waits, not what is asked",
    };

    private static readonly LlmCallOptions Base = new() { Tools = null };

    private static (CallPlanner Planner, CacheKeys Keys) Make(bool proxy)
    {
        var env = new Dictionary<string, string?>
        {
            ["ANTHROPIC_API_KEY"] = "sk-ant-test",
            ["OPENAI_API_KEY"] = "sk-openai-test",
        };
        var environment = KaitEnvironment.FromDictionary(env, Path.GetTempPath());
        // 2023-06-01: the version that still takes temperature or top_p (one at a time), so each row reaches Anthropic too.
        var options = Options.Create(new KaitOptions { Proxy = { Enabled = proxy, MasterKey = "sk-master-000" }, AnthropicVersion = "2023-06-01" });
        var catalog = new ModelCatalog();
        return (new CallPlanner(options, new DirectRouteResolver(environment, catalog), NullLogger<CallPlanner>.Instance), new CacheKeys(Salt));
    }

    public static TheoryData<bool, string> Routes() => new() { { true, "claude-fast" }, { false, "claude-fast" }, { false, "openai-fast" } };

    [Theory]
    [MemberData(nameof(Routes))]
    public void Every_call_option_changes_the_key_on_every_route(bool proxy, string alias)
    {
        var (planner, keys) = Make(proxy);
        var model = alias == "claude-fast" ? Claude : Gpt;
        string Key(LlmCallOptions o, IReadOnlyList<LlmMessage>? messages = null) => keys.For(planner.Chat(model, messages ?? Messages, o, stream: false));

        var properties = typeof(LlmCallOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).Select(p => p.Name).ToArray();
        var missing = properties.Where(p => !OptionChanges.ContainsKey(p) && !NotInTheKey.ContainsKey(p)).ToArray();
        Assert.True(missing.Length == 0, "LlmCallOptions has properties without a row in OptionChanges: " + string.Join(", ", missing));

        var baseline = Key(Base);
        var seen = new HashSet<string> { baseline };
        foreach (var (name, change) in OptionChanges)
        {
            if (!proxy && name is nameof(LlmCallOptions.Metadata) or nameof(LlmCallOptions.VirtualKey) or nameof(LlmCallOptions.Tags))
            {
                // Sent to the proxy only: a bridge never sees them, so they cannot change its answer.
                Assert.Equal(baseline, Key(change(Base)));
                continue;
            }

            if (!proxy && alias == "claude-fast" && name is nameof(LlmCallOptions.Seed))
            {
                continue; // Anthropic has no seed: not sent, not in the key
            }

            if (!proxy && alias == "openai-fast" && name is nameof(LlmCallOptions.PromptCaching))
            {
                continue; // OpenAI caches prompts on its own: no breakpoint is sent, none is in the key
            }

            Assert.True(seen.Add(Key(change(Base))), $"{name} did not change the key ({(proxy ? "proxy" : alias)})");
        }

        // The messages: text, role, image, tool calls and tool-call ids.
        var image = LlmMessage.User(LlmContentPart.FromText("What is it?"), LlmContentPart.FromImageUrl(new Uri("https://example.test/a.png")));
        var otherImage = LlmMessage.User(LlmContentPart.FromText("What is it?"), LlmContentPart.FromImageUrl(new Uri("https://example.test/b.png")));
        var call1 = LlmMessage.AssistantToolCalls([new LlmToolCall("call_1", "lookup", """{"q":"a"}""")]);
        var call2 = LlmMessage.AssistantToolCalls([new LlmToolCall("call_2", "lookup", """{"q":"a"}""")]);
        var thought = call1 with { ReasoningBlocks = [new LlmReasoningBlock("Look it up.", "sig-1")] };
        foreach (var messages in new IReadOnlyList<LlmMessage>[]
        {
            [LlmMessage.User("Hello?")],
            [LlmMessage.System("Be brief."), LlmMessage.User("Hello!")],
            [image],
            [otherImage],
            [LlmMessage.User("Look it up"), call1, LlmMessage.ToolResult("call_1", "42")],
            [LlmMessage.User("Look it up"), call2, LlmMessage.ToolResult("call_2", "42")],
            [LlmMessage.User("Look it up"), call1, LlmMessage.ToolResult("call_1", "43")],
            [LlmMessage.User("Look it up"), thought, LlmMessage.ToolResult("call_1", "43")],
        })
        {
            if (!proxy && alias == "openai-fast" && messages.Contains(thought))
            {
                // Reasoning blocks are not sent to OpenAI: the same request, the same key.
                Assert.False(seen.Add(Key(Base, messages)));
                continue;
            }

            Assert.True(seen.Add(Key(Base, messages)), "a message change did not change the key: " + messages[^1]);
        }

        Assert.Equal(baseline, Key(Base with { Timeout = TimeSpan.FromSeconds(5) }));
    }

    [Fact]
    public void A_chat_and_a_stream_of_one_request_share_a_key_and_their_bodies_differ_only_in_delivery_fields()
    {
        var (planner, keys) = Make(proxy: true);
        var options = Base with { Cache = new LlmCacheControl { Ttl = TimeSpan.FromSeconds(60) } };
        var chat = planner.Chat(Claude, Messages, options, stream: false);
        var stream = planner.Chat(Claude, Messages, options, stream: true);

        Assert.Equal(keys.For(chat), keys.For(stream));
        Assert.Contains("\"stream\":true", Encoding.UTF8.GetString(stream.Primary.Body.Span), StringComparison.Ordinal);
        Assert.Contains("\"cache\":", Encoding.UTF8.GetString(chat.Primary.Body.Span), StringComparison.Ordinal);
        Assert.DoesNotContain("\"cache\":", Encoding.UTF8.GetString(chat.Primary.KeyBody.Span), StringComparison.Ordinal);
    }

    /// <summary>Every field of every wire request DTO, set one at a time, changes the serialized bytes the key hashes —
    /// except the named delivery fields, which the planner leaves out of the key body.</summary>
    [Fact]
    public void Every_field_of_every_wire_request_reaches_the_bytes_the_key_hashes()
    {
        var delivery = new HashSet<string> { "OpenAIChatRequest.Stream", "OpenAIChatRequest.StreamOptions", "OpenAIChatRequest.Cache", "AnthropicMessagesRequest.Stream" };
        foreach (var type in new[] { typeof(OpenAIChatRequest), typeof(AnthropicMessagesRequest), typeof(OpenAIEmbeddingRequest) })
        {
            var info = KaitJsonContext.Default.GetTypeInfo(type)!;
            var baseline = JsonSerializer.Serialize(Minimal(type), info);
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
            {
                if (delivery.Contains(type.Name + "." + property.Name))
                {
                    continue;
                }

                var changed = Minimal(type);
                property.SetValue(changed, SampleValue(property.PropertyType));
                Assert.True(JsonSerializer.Serialize(changed, info) != baseline, $"{type.Name}.{property.Name} does not reach the wire (and so the key)");
            }
        }
    }

    [Fact]
    public void The_anthropic_version_is_sent_as_a_header_and_so_is_in_the_key()
    {
        var environment = KaitEnvironment.FromDictionary(new Dictionary<string, string?> { ["ANTHROPIC_API_KEY"] = "sk-ant-test" }, Path.GetTempPath());
        string Key(string version)
        {
            var planner = new CallPlanner(Options.Create(new KaitOptions { AnthropicVersion = version }), new DirectRouteResolver(environment, new ModelCatalog()), NullLogger<CallPlanner>.Instance);
            var call = planner.Chat(Claude, Messages, Base, stream: false);
            Assert.Equal(version, call.Primary.Headers["anthropic-version"]);
            return new CacheKeys(Salt).For(call);
        }

        Assert.NotEqual(Key("2026-10-21"), Key("2023-06-01"));
    }

    [Fact]
    public void A_different_credential_or_salt_gives_a_different_key_and_the_credential_is_not_in_it()
    {
        var (planner, keys) = Make(proxy: true);
        var key = keys.For(planner.Chat(Claude, Messages, Base, stream: false));
        var other = new CacheKeys(Enumerable.Repeat((byte)7, 32).ToArray()).For(planner.Chat(Claude, Messages, Base, stream: false));

        Assert.NotEqual(key, other);
        Assert.NotEqual(key, keys.For(planner.Chat(Claude, Messages, Base with { VirtualKey = "sk-master-001" }, stream: false)));
        Assert.StartsWith(CacheKeys.Prefix, key, StringComparison.Ordinal);
        Assert.Equal("kait:v3:".Length + 64, key.Length);
        Assert.DoesNotContain("sk-master", key, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToHexStringLower(Encoding.UTF8.GetBytes("sk-master-000")), key, StringComparison.Ordinal);
    }

    private static object Minimal(Type type) => type.Name switch
    {
        nameof(OpenAIChatRequest) => new OpenAIChatRequest { Model = "m", Messages = [] },
        nameof(AnthropicMessagesRequest) => new AnthropicMessagesRequest { Model = "m", MaxTokens = 1, Messages = [] },
        _ => new OpenAIEmbeddingRequest { Model = "m", Input = [] },
    };

    private static object SampleValue(Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (underlying == typeof(string))
        {
            return "changed";
        }

        if (underlying == typeof(int))
        {
            return 9;
        }

        if (underlying == typeof(long))
        {
            return 9L;
        }

        if (underlying == typeof(double))
        {
            return 0.25;
        }

        if (underlying == typeof(bool))
        {
            return false;
        }

        if (underlying == typeof(System.Text.Json.Nodes.JsonNode))
        {
            return System.Text.Json.Nodes.JsonValue.Create("changed");
        }

        if (underlying == typeof(JsonElement))
        {
            return Schema("""{"changed":true}""");
        }

        if (underlying.IsGenericType && underlying.GetGenericTypeDefinition() == typeof(IReadOnlyList<>))
        {
            var element = underlying.GetGenericArguments()[0];
            var array = Array.CreateInstance(element, 1);
            array.SetValue(element == typeof(string) ? "changed" : SampleObject(element), 0);
            return array;
        }

        if (underlying.IsGenericType && underlying.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>))
        {
            return new Dictionary<string, string> { ["k"] = "v" };
        }

        return SampleObject(underlying);
    }

    /// <summary>A nested object with its first settable property given a value (so it serializes to something).</summary>
    private static object SampleObject(Type type)
    {
        var instance = System.Runtime.CompilerServices.RuntimeHelpers.GetUninitializedObject(type);
        foreach (var property in type.GetProperties().Where(p => p.CanWrite))
        {
            if (property.PropertyType == typeof(string) || Nullable.GetUnderlyingType(property.PropertyType) is not null
                || property.PropertyType == typeof(System.Text.Json.Nodes.JsonNode) || property.PropertyType == typeof(JsonElement))
            {
                property.SetValue(instance, SampleValue(property.PropertyType));
            }
        }

        return instance;
    }
}
