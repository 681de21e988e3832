using System;
using System.Collections.Generic;

namespace Kait.Sdk.Config.Yaml;

/// <summary>A YAML node with its place; built by <see cref="YamlTreeReader"/>, which keeps what PyYAML keeps.</summary>
internal abstract class YNode
{
    protected YNode(SourceSpan span) => Span = span;

    public SourceSpan Span { get; }

    /// <summary>The nodes a walk of this one visits, aliases and merges expanded; 0 while it is still being read.</summary>
    public long Weight { get; private set; }

    /// <summary>How deep it nests, aliases expanded (0 for a scalar).</summary>
    public int Height { get; private set; }

    /// <summary>Records the node as read, with its expanded size and depth.</summary>
    public void Complete(long weight, int height)
    {
        Weight = weight;
        Height = height;
    }
}

/// <summary>A scalar; <see cref="IsPlain"/> is false for quoted and block scalars (so <c>"True"</c> stays text).</summary>
internal sealed class YScalar : YNode
{
    public YScalar(string value, bool isPlain, SourceSpan span)
        : base(span)
    {
        Value = value;
        IsPlain = isPlain;
    }

    public string Value { get; }

    public bool IsPlain { get; }

    /// <summary>YAML's null: an empty plain scalar, <c>~</c> or <c>null</c>.</summary>
    public bool IsNull => IsPlain && (Value.Length == 0 || Value == "~" || Value == "null" || Value == "Null" || Value == "NULL");
}

/// <summary>A sequence.</summary>
internal sealed class YSequence : YNode
{
    public YSequence(List<YNode> items, SourceSpan span)
        : base(span) => Items = items;

    public List<YNode> Items { get; }
}

/// <summary>A mapping in first-seen key order; a repeated key takes the last value (as PyYAML's dict does).</summary>
internal sealed class YMapping : YNode
{
    // Small mappings (nearly all of a LiteLLM config) are scanned; a large one (model_group_alias, a big
    // litellm_settings) gets an index so that reading it stays linear.
    private const int IndexFrom = 8;

    private readonly List<KeyValuePair<YScalar, YNode>> entries = [];
    private Dictionary<string, int>? index;

    public YMapping(SourceSpan span)
        : base(span)
    {
    }

    public IReadOnlyList<KeyValuePair<YScalar, YNode>> Entries => entries;

    /// <summary>Sets a key; returns the earlier key node when the key was already there.</summary>
    public YScalar? Set(YScalar key, YNode value)
    {
        var i = IndexOf(key.Value);
        if (i >= 0)
        {
            var first = entries[i].Key;
            entries[i] = new KeyValuePair<YScalar, YNode>(first, value);
            return first;
        }

        entries.Add(new KeyValuePair<YScalar, YNode>(key, value));
        if (index is not null)
        {
            index[key.Value] = entries.Count - 1;
        }
        else if (entries.Count >= IndexFrom)
        {
            index = new Dictionary<string, int>(entries.Count * 2, StringComparer.Ordinal);
            for (var j = 0; j < entries.Count; j++)
            {
                index[entries[j].Key.Value] = j;
            }
        }

        return null;
    }

    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    public YNode? Get(string key)
    {
        var i = IndexOf(key);
        return i >= 0 ? entries[i].Value : null;
    }

    public YScalar? KeyNode(string key)
    {
        var i = IndexOf(key);
        return i >= 0 ? entries[i].Key : null;
    }

    private int IndexOf(string key)
    {
        if (index is not null)
        {
            return index.TryGetValue(key, out var i) ? i : -1;
        }

        for (var i = 0; i < entries.Count; i++)
        {
            if (string.Equals(entries[i].Key.Value, key, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
