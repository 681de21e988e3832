using System;
using System.Collections.Generic;
using System.IO;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Kait.Sdk.Config.Yaml;

/// <summary>
/// Reads YAML into a <see cref="YNode"/> tree from YamlDotNet's event stream. The event level (not YamlStream) is
/// used because YamlStream refuses duplicate keys, which real LiteLLM configs have and PyYAML accepts.
/// Anchors, aliases and <c>&lt;&lt;</c> merge keys are followed. Each event is read once; an alias is not copied but
/// costs the <see cref="ReadBudget"/> the whole node it names (its <see cref="YNode.Weight"/>), so the tree handed on is
/// one whose full walk fits the budget, and an alias bomb stops with KAIT014 at the alias that overran it.
/// </summary>
internal sealed class YamlTreeReader
{
    private static readonly Regex MarkPrefix = new Regex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ", RegexOptions.CultureInvariant);

    private readonly string file;
    private readonly List<ConfigDiagnostic> diagnostics;
    private readonly ReadBudget budget;
    private readonly Dictionary<string, YNode> anchors = new Dictionary<string, YNode>(StringComparer.Ordinal);
    private readonly Parser parser;

    private YamlTreeReader(string text, string file, List<ConfigDiagnostic> diagnostics, ReadBudget budget)
    {
        this.file = file;
        this.diagnostics = diagnostics;
        this.budget = budget;
        parser = new Parser(new StringReader(text));
    }

    /// <summary>Reads the first document; null when the text does not parse (KAIT001 is added), is over a limit
    /// (KAIT014 is added) or is empty.</summary>
    public static YNode? Read(string text, string file, List<ConfigDiagnostic> diagnostics, ReadBudget budget)
    {
        var tooLarge = ReadBudget.CheckSize(text, out var capOffset);
        if (tooLarge is not null)
        {
            diagnostics.Add(KaitDiagnostics.TooComplex.At(LineAt(text, file, capOffset), Path.GetFileName(file), tooLarge));
            return null;
        }

        var reader = new YamlTreeReader(text, file, diagnostics, budget);
        try
        {
            return reader.ReadDocument();
        }
        catch (ReadBudget.ExceededException ex)
        {
            diagnostics.Add(KaitDiagnostics.TooComplex.At(ex.At, Path.GetFileName(file), ex.Message));
            return null;
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

    private static SourceSpan LineAt(string text, string file, int offset)
    {
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < offset && i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        return new SourceSpan(file, line, offset - lineStart + 1, offset, 0);
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
        var current = parser.Current ?? throw new YamlException("unexpected end of the document");
        if (depth > ReadBudget.MaxDepth)
        {
            throw TooDeep(SpanOf(current));
        }

        switch (current)
        {
            case AnchorAlias alias:
                {
                    parser.MoveNext();
                    if (!anchors.TryGetValue(alias.Value.Value, out var target))
                    {
                        throw new YamlException(alias.Start, alias.End, "unknown alias '*" + alias.Value.Value + "'");
                    }

                    if (target.Weight == 0)
                    {
                        // PyYAML builds a structure that contains itself; nothing in a LiteLLM config needs one, and
                        // every walk of it would have to find the cycle.
                        throw new ReadBudget.ExceededException(SpanOf(alias), "uses the alias '*" + alias.Value.Value + "' inside the node it names (a structure that contains itself)");
                    }

                    if (depth + target.Height > ReadBudget.MaxDepth)
                    {
                        throw TooDeep(SpanOf(alias));
                    }

                    Spend(target.Weight, alias, "at the alias '*" + alias.Value.Value + "'");
                    return target;
                }

            case Scalar scalar:
                {
                    parser.MoveNext();
                    Spend(1, scalar, null);
                    var node = new YScalar(scalar.Value, scalar.Style == ScalarStyle.Plain && scalar.Tag.IsEmpty, SpanOf(scalar));
                    node.Complete(1, 0);
                    Remember(scalar.Anchor, node);
                    return node;
                }

            case SequenceStart start:
                {
                    parser.MoveNext();
                    Spend(1, start, null);
                    var items = new List<YNode>();
                    var sequence = new YSequence(items, SpanOf(start));
                    Remember(start.Anchor, sequence);
                    long weight = 1;
                    var height = 0;
                    while (!parser.TryConsume<SequenceEnd>(out _))
                    {
                        var item = ReadNode(depth + 1);
                        items.Add(item);
                        weight += item.Weight;
                        height = Math.Max(height, item.Height + 1);
                    }

                    sequence.Complete(weight, height);
                    return sequence;
                }

            case MappingStart start:
                {
                    parser.MoveNext();
                    Spend(1, start, null);
                    var mapping = new YMapping(SpanOf(start));
                    Remember(start.Anchor, mapping);
                    long weight = 1;
                    var height = 0;
                    List<KeyValuePair<YScalar, YNode>>? merges = null;
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
                            (merges ??= []).Add(new KeyValuePair<YScalar, YNode>(key, value));
                            continue;
                        }

                        weight += 1 + value.Weight;
                        height = Math.Max(height, value.Height + 1);
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
                            Merge(mapping, merge.Value, merge.Key.Span, seen, ref weight, ref height);
                        }
                    }

                    mapping.Complete(weight, height);
                    return mapping;
                }

            default:
                throw new YamlException(current.Start, current.End, "unexpected " + current.GetType().Name);
        }
    }

    private void Merge(YMapping into, YNode source, SourceSpan at, HashSet<YNode> seen, ref long weight, ref int height)
    {
        // A source merged once has given all it can.
        if (!seen.Add(source))
        {
            return;
        }

        if (source is YMapping map)
        {
            foreach (var entry in map.Entries)
            {
                // Every entry looked at is a visit, copied or not; a copied one also brings its value.
                if (!into.ContainsKey(entry.Key.Value))
                {
                    Spend(1 + entry.Value.Weight, at, "merging '<<' entries");
                    weight += 1 + entry.Value.Weight;
                    height = Math.Max(height, entry.Value.Height + 1);
                    into.Set(entry.Key, entry.Value);
                }
                else
                {
                    Spend(1, at, "merging '<<' entries");
                }
            }
        }
        else if (source is YSequence seq)
        {
            foreach (var item in seq.Items)
            {
                Merge(into, item, at, seen, ref weight, ref height);
            }
        }
    }

    private void Spend(long nodes, ParsingEvent at, string? where) => Spend(nodes, SpanOf(at), where);

    private void Spend(long nodes, SourceSpan at, string? where)
    {
        if (!budget.TrySpend(nodes))
        {
            throw new ReadBudget.ExceededException(at, "expands to more than " + ReadBudget.Count(ReadBudget.MaxNodes) + " YAML nodes"
                + (where is null ? string.Empty : " " + where) + " (each use of an alias counts the whole node it names)");
        }
    }

    private static ReadBudget.ExceededException TooDeep(SourceSpan at) =>
        new ReadBudget.ExceededException(at, "nests deeper than " + ReadBudget.MaxDepth + " levels (aliases expanded)");

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
