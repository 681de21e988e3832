using System;
using System.Collections.Generic;
using System.IO;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Kait.Sdk.Config.Yaml
{
    /// <summary>
    /// Reads YAML into a <see cref="YNode"/> tree from YamlDotNet's event stream. The event level (not YamlStream) is
    /// used because YamlStream refuses duplicate keys, which real LiteLLM configs have and PyYAML accepts.
    /// Anchors, aliases and <c>&lt;&lt;</c> merge keys are followed.
    /// </summary>
    internal sealed class YamlTreeReader
    {
        private const int MaxDepth = 256;
        private static readonly Regex MarkPrefix = new Regex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ", RegexOptions.CultureInvariant);

        private readonly string file;
        private readonly List<ConfigDiagnostic> diagnostics;
        private readonly Dictionary<string, YNode> anchors = new Dictionary<string, YNode>(StringComparer.Ordinal);
        private readonly Parser parser;

        private YamlTreeReader(string text, string file, List<ConfigDiagnostic> diagnostics)
        {
            this.file = file;
            this.diagnostics = diagnostics;
            parser = new Parser(new StringReader(text));
        }

        /// <summary>Reads the first document; null when the text does not parse (KAIT001 is added) or is empty.</summary>
        public static YNode? Read(string text, string file, List<ConfigDiagnostic> diagnostics)
        {
            var reader = new YamlTreeReader(text, file, diagnostics);
            try
            {
                return reader.ReadDocument();
            }
            catch (YamlException ex)
            {
                var reason = MarkPrefix.Replace(ex.Message, string.Empty);
                var line = (int)Math.Max(1, ex.Start.Line);
                var column = (int)Math.Max(1, ex.Start.Column);
                var span = new SourceSpan(file, line, column, (int)Math.Max(0, ex.Start.Index), 0);
                diagnostics.Add(KaitDiagnostics.InvalidYaml.At(span, Path.GetFileName(file), reason));
                return null;
            }
        }

        private YNode? ReadDocument()
        {
            parser.Consume<StreamStart>();
            if (parser.Accept<StreamEnd>(out _))
            {
                return null;
            }

            parser.Consume<DocumentStart>();
            var root = ReadNode(0);
            parser.Consume<DocumentEnd>();
            return root;
        }

        private YNode ReadNode(int depth)
        {
            if (depth > MaxDepth)
            {
                throw new YamlException(parser.Current!.Start, parser.Current.End, "the document nests deeper than " + MaxDepth + " levels");
            }

            var current = parser.Current ?? throw new YamlException("unexpected end of the document");
            switch (current)
            {
                case AnchorAlias alias:
                    parser.MoveNext();
                    if (!anchors.TryGetValue(alias.Value.Value, out var target))
                    {
                        throw new YamlException(alias.Start, alias.End, "unknown alias '*" + alias.Value.Value + "'");
                    }

                    return target;

                case Scalar scalar:
                    parser.MoveNext();
                    var node = new YScalar(scalar.Value, scalar.Style == ScalarStyle.Plain && scalar.Tag.IsEmpty, SpanOf(scalar));
                    Remember(scalar.Anchor, node);
                    return node;

                case SequenceStart start:
                    {
                        parser.MoveNext();
                        var items = new List<YNode>();
                        var sequence = new YSequence(items, SpanOf(start));
                        Remember(start.Anchor, sequence);
                        while (!parser.TryConsume<SequenceEnd>(out _))
                        {
                            items.Add(ReadNode(depth + 1));
                        }

                        return sequence;
                    }

                case MappingStart start:
                    {
                        parser.MoveNext();
                        var mapping = new YMapping(SpanOf(start));
                        Remember(start.Anchor, mapping);
                        List<YNode>? merges = null;
                        while (!parser.TryConsume<MappingEnd>(out _))
                        {
                            var keyNode = ReadNode(depth + 1);
                            var value = ReadNode(depth + 1);
                            if (keyNode is not YScalar key)
                            {
                                // PyYAML refuses unhashable keys; so does Kait, at the key.
                                throw new YamlException(parser.Current!.Start, parser.Current.End, "a mapping key must be a plain value, not a list or mapping");
                            }

                            if (key.IsPlain && key.Value == "<<")
                            {
                                (merges ??= new List<YNode>()).Add(value);
                                continue;
                            }

                            var first = mapping.Set(key, value);
                            if (first is not null)
                            {
                                diagnostics.Add(KaitDiagnostics.DuplicateKey.At(key.Span, key.Value, first.Span.Line));
                            }
                        }

                        if (merges is not null)
                        {
                            var seen = new HashSet<YNode>();
                            foreach (var merge in merges)
                            {
                                Merge(mapping, merge, seen);
                            }
                        }

                        return mapping;
                    }

                default:
                    throw new YamlException(current.Start, current.End, "unexpected " + current.GetType().Name);
            }
        }

        private static void Merge(YMapping into, YNode source, HashSet<YNode> seen)
        {
            // A source merged once has given all it can; this also ends a list that (through an alias) contains itself.
            if (!seen.Add(source))
            {
                return;
            }

            if (source is YMapping map)
            {
                foreach (var entry in map.Entries)
                {
                    if (!into.ContainsKey(entry.Key.Value))
                    {
                        into.Set(entry.Key, entry.Value);
                    }
                }
            }
            else if (source is YSequence seq)
            {
                foreach (var item in seq.Items)
                {
                    Merge(into, item, seen);
                }
            }
        }

        private void Remember(AnchorName anchor, YNode node)
        {
            if (!anchor.IsEmpty)
            {
                anchors[anchor.Value] = node;
            }
        }

        private SourceSpan SpanOf(ParsingEvent e) =>
            new SourceSpan(file, (int)e.Start.Line, (int)e.Start.Column, (int)e.Start.Index, (int)(e.End.Index - e.Start.Index));
    }
}
