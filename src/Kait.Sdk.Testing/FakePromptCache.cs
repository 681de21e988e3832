using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;

namespace Kait.Sdk.Testing;

/// <summary>
/// A provider's prompt cache, as Anthropic documents it (https://docs.anthropic.com/en/docs/build-with-claude/prompt-caching):
/// the prompt is read in order (tools, system, messages); the prefix up to the last block marked with
/// <c>cache_control</c> is written to the cache the first time (<c>cache_creation_input_tokens</c>) and read from it
/// afterwards (<c>cache_read_input_tokens</c>). Tokens are counted as 4 characters each. Works on both request shapes
/// (Anthropic's and the OpenAI-shaped one LiteLLM passes on).
/// </summary>
internal sealed class FakePromptCache
{
    private readonly ConcurrentDictionary<string, int> prefixes = new(StringComparer.Ordinal);

    /// <summary>The reply with the cache counts of <paramref name="request"/> (unchanged when nothing is marked).</summary>
    public FakeReply Apply(JsonElement request, FakeReply reply)
    {
        var blocks = new List<(string Text, bool Marked)>();
        if (request.TryGetProperty("tools", out var tools) && tools.ValueKind == JsonValueKind.Array)
        {
            blocks.AddRange(tools.EnumerateArray().Select(Block));
        }

        if (request.TryGetProperty("system", out var system))
        {
            blocks.AddRange(Content(system));
        }

        if (request.TryGetProperty("messages", out var messages) && messages.ValueKind == JsonValueKind.Array)
        {
            foreach (var message in messages.EnumerateArray())
            {
                if (message.ValueKind == JsonValueKind.Object && message.TryGetProperty("content", out var content))
                {
                    blocks.AddRange(Content(content));
                }
            }
        }

        var last = blocks.FindLastIndex(b => b.Marked);
        if (last < 0)
        {
            return reply;
        }

        var prefix = new StringBuilder();
        foreach (var (text, _) in blocks.Take(last + 1))
        {
            prefix.Append(text);
        }

        var tokens = Math.Max(1, prefix.Length / 4);
        return prefixes.TryAdd(prefix.ToString(), tokens)
            ? reply with { CacheCreationInputTokens = tokens, CachedInputTokens = 0 }
            : reply with { CachedInputTokens = tokens, CacheCreationInputTokens = 0 };
    }

    private static IEnumerable<(string, bool)> Content(JsonElement content) => content.ValueKind switch
    {
        JsonValueKind.Array => content.EnumerateArray().Select(Block),
        JsonValueKind.String => [(content.GetString() ?? string.Empty, false)],
        _ => [],
    };

    private static (string, bool) Block(JsonElement block)
    {
        var marked = block.ValueKind == JsonValueKind.Object && block.TryGetProperty("cache_control", out _);
        var text = block.ValueKind == JsonValueKind.Object
            ? string.Concat(block.EnumerateObject().Where(p => p.Name != "cache_control").Select(p => p.Name + "=" + p.Value.GetRawText()))
            : block.GetRawText();
        return (text, marked);
    }
}
