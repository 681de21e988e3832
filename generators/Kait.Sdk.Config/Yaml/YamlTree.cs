using System;
using System.Collections.Generic;

namespace Kait.Sdk.Config.Yaml
{
    /// <summary>A YAML node with its place; built by <see cref="YamlTreeReader"/>, which keeps what PyYAML keeps.</summary>
    internal abstract class YNode
    {
        protected YNode(SourceSpan span) => Span = span;

        public SourceSpan Span { get; }
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
        private readonly List<KeyValuePair<YScalar, YNode>> entries = new List<KeyValuePair<YScalar, YNode>>();

        public YMapping(SourceSpan span)
            : base(span)
        {
        }

        public IReadOnlyList<KeyValuePair<YScalar, YNode>> Entries => entries;

        /// <summary>Sets a key; returns the earlier key node when the key was already there.</summary>
        public YScalar? Set(YScalar key, YNode value)
        {
            for (var i = 0; i < entries.Count; i++)
            {
                if (string.Equals(entries[i].Key.Value, key.Value, StringComparison.Ordinal))
                {
                    var first = entries[i].Key;
                    entries[i] = new KeyValuePair<YScalar, YNode>(first, value);
                    return first;
                }
            }

            entries.Add(new KeyValuePair<YScalar, YNode>(key, value));
            return null;
        }

        public bool ContainsKey(string key) => Get(key) is not null;

        public YNode? Get(string key)
        {
            foreach (var entry in entries)
            {
                if (string.Equals(entry.Key.Value, key, StringComparison.Ordinal))
                {
                    return entry.Value;
                }
            }

            return null;
        }

        public YScalar? KeyNode(string key)
        {
            foreach (var entry in entries)
            {
                if (string.Equals(entry.Key.Value, key, StringComparison.Ordinal))
                {
                    return entry.Key;
                }
            }

            return null;
        }
    }
}
