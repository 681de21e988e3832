using System.Text;

namespace Kait.Sdk.Translation;

/// <summary>Assembles streamed tool-call fragments (OpenAI's <c>delta.tool_calls[]</c> by <c>index</c>, Anthropic's
/// <c>tool_use</c> blocks and <c>input_json_delta</c>s by block index) into whole calls, in the order they started.</summary>
internal sealed class ToolCallAssembler
{
    private readonly List<Pending> calls = [];
    private readonly Dictionary<int, Pending> byIndex = [];

    /// <summary>True when <paramref name="index"/> is a tool call being assembled.</summary>
    public bool Has(int index) => byIndex.ContainsKey(index);

    /// <summary>Adds a fragment. A fragment without an index continues the last call unless it starts a new one
    /// (an id of its own).</summary>
    public void Add(int? index, string? id, string? name, string? arguments)
    {
        Pending? call = null;
        if (index is { } i)
        {
            byIndex.TryGetValue(i, out call);
        }
        else if (calls.Count > 0 && (id is null || id == calls[^1].Id))
        {
            call = calls[^1];
        }

        if (call is null)
        {
            call = new Pending();
            calls.Add(call);
            if (index is { } key)
            {
                byIndex[key] = call;
            }
        }

        if (!string.IsNullOrEmpty(id))
        {
            call.Id ??= id;
        }

        if (!string.IsNullOrEmpty(name))
        {
            call.Name ??= name;
        }

        call.Arguments.Append(arguments);
    }

    /// <summary>The whole calls; empty arguments become <c>{}</c>.</summary>
    public IReadOnlyList<LlmToolCall> ToCalls() => calls
        .Where(c => c.Name is not null)
        .Select((c, n) => new LlmToolCall(
            c.Id ?? "call_" + n.ToString(System.Globalization.CultureInfo.InvariantCulture),
            c.Name!,
            c.Arguments.Length == 0 ? "{}" : c.Arguments.ToString()))
        .ToArray();

    private sealed class Pending
    {
        public string? Id { get; set; }

        public string? Name { get; set; }

        public StringBuilder Arguments { get; } = new();
    }
}
