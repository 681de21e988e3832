using System.Net;
using System.Net.Sockets;
using Kait.Sdk.Testing;

namespace Kait.Sdk.Tests;

internal static class TestData
{
    public const string MasterKey = "sk-master-0123456789abcdef";
    public const string AnthropicKey = "sk-ant-test-0123456789abcdef";
    public const string OpenAIKey = "sk-openai-test-0123456789abcdef";

    public static readonly IReadOnlyList<LlmMessage> Hello = [LlmMessage.User("Hello!")];

    /// <summary>Proxy enabled at the fake, with the master key and both provider keys set.</summary>
    public static Dictionary<string, string?> ProxyEnv(FakeLiteLlmProxy proxy, string? masterKey = MasterKey) => new()
    {
        ["KAIT_LITELLM_ENABLED"] = "true",
        ["KAIT_LITELLM_URL"] = proxy.BaseUrl.ToString(),
        ["KAIT_LITELLM_MASTER_KEY"] = masterKey,
        ["ANTHROPIC_API_KEY"] = AnthropicKey,
        ["OPENAI_API_KEY"] = OpenAIKey,
    };

    /// <summary>Proxy disabled; the providers' base URLs at the fakes.</summary>
    public static Dictionary<string, string?> DirectEnv(FakeAnthropicApi? anthropic = null, FakeOpenAIApi? openAI = null) => new()
    {
        ["ANTHROPIC_API_KEY"] = AnthropicKey,
        ["OPENAI_API_KEY"] = OpenAIKey,
        ["ANTHROPIC_BASE_URL"] = anthropic?.BaseUrl.ToString(),
        ["OPENAI_BASE_URL"] = openAI?.ApiBaseUrl.ToString(),
    };

    // Sockets bound without listening: their ports stay reserved (no fake can take them) and refuse connections.
    private static readonly System.Collections.Concurrent.ConcurrentBag<Socket> Reserved = [];

    /// <summary>A loopback port nothing listens on, for the rest of the test run.</summary>
    public static int ClosedPort()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Reserved.Add(socket);
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    public static async Task<string> ConcatAsync(IAsyncEnumerable<LlmDelta> deltas, List<LlmDelta>? all = null)
    {
        var text = new System.Text.StringBuilder();
        await foreach (var delta in deltas)
        {
            all?.Add(delta);
            text.Append(delta.Text);
        }

        return text.ToString();
    }
}
