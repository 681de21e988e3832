using System.Globalization;
using System.Text;

namespace Kait.Sdk.Generators.Tests;

/// <summary>A file beside the config: bytes, a FIFO, a symbolic link or a directory.</summary>
internal sealed record SideFile(string Name, byte[]? Bytes = null, string? LinkTo = null, bool Fifo = false, bool Directory = false);

/// <summary>One hostile config: its bytes (possibly invalid UTF-8), the text the compiler would hand the generator, and
/// the files beside it.</summary>
internal sealed record HostileCase(string Name, byte[] Bytes, string Text, IReadOnlyList<SideFile> Files);

/// <summary>A deterministic corpus of hostile configs (seeded): alias bombs, merge chains, deep nesting, huge scalars,
/// Unicode line breaks, bidi and control characters in every place an alias, a model, an api_base, a key variable, a
/// model_info field, a group alias, an include or a comment can take them, invalid UTF-8, hostile includes, and
/// mutations of all of these.</summary>
internal static class HostileConfigCorpus
{
    private const string Injection = HostileYaml.Injection;

    private static readonly string[] Breaks = ["\r", "\n", "\r\n", "\u0085", "\u2028", "\u2029"];

    private static readonly string[] Invisible =
    [
        "\u202A", "\u202B", "\u202C", "\u202D", "\u202E", "\u2066", "\u2067", "\u2068", "\u2069", "\u200E", "\u200F", "\u061C",
        "\u200B", "\uFEFF", "\u00AD", "\0", "\a", "\b", "\t", "\v", "\f", "\u001b[31m", "\u007f", "\u0090", "\u009b",
    ];

    private static readonly string[] Syntax = ["\"", "\\", "*/", "/*", "}", "{", "//", "#", "</c>", "]]>", "&amp;", "<", "'", "`", "$\"{", "\\u2028"];

    private static readonly string[] Slots =
    [
        "model_name", "model", "api_base", "api_version", "api_key", "mode", "id", "base_model", "rpm", "input_cost_per_token",
        "group_alias", "group_target", "include", "comment", "key", "wildcard",
    ];

    private static readonly string[] Homes =
    [
        "general_settings", "litellm_settings", "router_settings", "environment_variables", "model_list[0].litellm_params",
        "model_list[0].model_info", "router_settings.model_group_alias",
    ];

    public static IEnumerable<HostileCase> Generate(int count, int seed)
    {
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            var kind = i % 10;
            var name = $"#{i} ";
            var c = kind switch
            {
                0 => AliasBomb(random, name),
                1 => MergeBomb(random, name),
                2 => Deep(random, name),
                3 => HugeScalar(random, name),
                4 or 5 or 6 => Payload(random, name),
                7 => InvalidUtf8(random, name),
                8 => Include(random, name),
                _ => Mutate(random, name, i % 3 == 0 ? AliasBomb(random, name) : Payload(random, name)),
            };
            yield return c;
        }
    }

    private static HostileCase FromText(string name, string yaml, params SideFile[] files) =>
        new(name, Encoding.UTF8.GetBytes(yaml), yaml, files);

    private static string Entry(string modelName, string model = "openai/gpt-4o") =>
        $"  - model_name: {modelName}\n    litellm_params:\n      model: {model}\n      api_key: os.environ/OPENAI_API_KEY\n";

    private static HostileCase AliasBomb(Random random, string name)
    {
        var levels = random.Next(3, 15);
        var fanOut = random.Next(2, 13);
        var home = Homes[random.Next(Homes.Length)];
        var asMapping = random.Next(2) == 0;
        var merge = random.Next(4) == 0;
        var body = new StringBuilder();
        body.Append("    l0: &l0 {api_key: os.environ/KEY, token: sk-").Append(random.Next()).Append("}\n");
        for (var l = 1; l < levels; l++)
        {
            body.Append("    l").Append(l).Append(": &l").Append(l).Append(' ');
            if (merge)
            {
                body.Append("{<<: [").Append(string.Join(", ", Enumerable.Range(0, Math.Min(l, fanOut)).Select(k => "*l" + (l - 1 - k)))).Append("], k").Append(l).Append(": *l").Append(l - 1).Append("}\n");
            }
            else if (asMapping)
            {
                body.Append('{').Append(string.Join(", ", Enumerable.Range(0, fanOut).Select(k => $"k{k}: *l{l - 1}"))).Append("}\n");
            }
            else
            {
                body.Append('[').Append(string.Join(", ", Enumerable.Repeat($"*l{l - 1}", fanOut))).Append("]\n");
            }
        }

        var yaml = new StringBuilder("model_list:\n").Append(Entry("bomb-host"));
        yaml.Append(Place(home, body.ToString()));
        if (home.StartsWith("model_list", StringComparison.Ordinal) && random.Next(2) == 0)
        {
            // The bomb again where the reader looks: as model_list entries.
            yaml.Append(string.Concat(Enumerable.Repeat("  - *l" + (levels - 1) + "\n", fanOut)));
        }

        return FromText(name + $"alias bomb {levels}x{fanOut} under {home}{(merge ? " (merge)" : asMapping ? " (mapping)" : string.Empty)}", yaml.ToString());
    }

    private static string Place(string home, string body)
    {
        // The body is indented for a second-level mapping.
        return home switch
        {
            "model_list[0].litellm_params" => "  - model_name: bomb\n    litellm_params:\n      model: openai/gpt-4o\n      extra:\n" + Indent(body, 4),
            "model_list[0].model_info" => "  - model_name: bomb2\n    litellm_params: {model: openai/gpt-4o}\n    model_info:\n" + Indent(body, 4),
            "router_settings.model_group_alias" => "router_settings:\n  model_group_alias:\n" + Indent(body, 0),
            _ => home + ":\n  bomb:\n" + body,
        };
    }

    private static string Indent(string text, int spaces) =>
        string.Concat(text.Split('\n').Where(l => l.Length > 0).Select(l => new string(' ', spaces) + l + "\n"));

    private static HostileCase MergeBomb(Random random, string name)
    {
        var n = random.Next(50, 1000);
        var keys = random.Next(1, 4);
        var yaml = new StringBuilder("model_list:\n").Append(Entry("merge-host")).Append("general_settings:\n  m0: &m0 {k0: v}\n");
        for (var i = 1; i < n; i++)
        {
            yaml.Append("  m").Append(i).Append(": &m").Append(i).Append(" {<<: *m").Append(i - 1);
            for (var k = 0; k < keys; k++)
            {
                yaml.Append(", k").Append(i).Append('_').Append(k).Append(": v");
            }

            yaml.Append("}\n");
        }

        return FromText(name + $"merge chain {n}x{keys}", yaml.ToString());
    }

    private static HostileCase Deep(Random random, string name)
    {
        var depth = random.Next(10, 6000);
        switch (random.Next(4))
        {
            case 0:
                return FromText(name + $"flow [ {depth}", "model_list:\n" + Entry("deep") + "general_settings:\n  x: " + new string('[', depth) + new string(']', random.Next(2) * depth) + "\n");
            case 1:
                return FromText(name + $"flow {{ {depth}", "model_list:\n" + Entry("deep") + "general_settings:\n  x: " + string.Concat(Enumerable.Repeat("{a: ", depth)) + "1" + new string('}', depth) + "\n");
            case 2:
                {
                    var levels = Math.Min(depth, 400);
                    var yaml = new StringBuilder("model_list:\n").Append(Entry("deep")).Append("general_settings:\n");
                    for (var l = 1; l <= levels; l++)
                    {
                        yaml.Append(' ', (l * 2) % 1000).Append('k').Append(l).Append(":\n");
                    }

                    return FromText(name + $"block nesting {levels}", yaml.ToString());
                }

            default:
                return FromText(name + $"alias chain {depth}", "model_list:\n" + Entry("deep") + HostileYaml.AliasChain(depth));
        }
    }

    private static HostileCase HugeScalar(Random random, string name)
    {
        var size = random.Next(20) == 0 ? LiteLlmConfigReaderLimit + random.Next(1, 4096) : random.Next(1_000, 32_000);
        var filler = random.Next(3) switch
        {
            0 => new string('x', size),
            1 => string.Concat(Enumerable.Repeat("\u2028\u202E", size / 2)),
            _ => new string('é', size / 2),
        };
        var slot = random.Next(4);
        var yaml = slot switch
        {
            0 => "model_list:\n" + Entry(Quote(filler, random)),
            1 => "model_list:\n" + Entry("huge", Quote(filler, random)),
            2 => "model_list:\n" + Entry("huge") + "      api_base: " + Quote(filler, random) + "\n",
            _ => "# " + filler.Replace("\n", " ", StringComparison.Ordinal) + "\nmodel_list:\n" + Entry("huge"),
        };
        return FromText(name + $"huge scalar {size} in slot {slot}", yaml);
    }

    private const int LiteLlmConfigReaderLimit = 1 << 20;

    /// <summary>A hostile string: pieces of line breaks, invisible characters and C# syntax, most followed by the
    /// injection (the shape of the issue's exploit: a break, then a member).</summary>
    private static string HostileText(Random random)
    {
        var builder = new StringBuilder(random.Next(2) == 0 ? "evil" : string.Empty);
        var pieces = random.Next(1, 4);
        for (var p = 0; p < pieces; p++)
        {
            builder.Append(random.Next(3) switch
            {
                0 => Breaks[random.Next(Breaks.Length)],
                1 => Invisible[random.Next(Invisible.Length)],
                _ => Syntax[random.Next(Syntax.Length)],
            });
            if (random.Next(4) != 0)
            {
                builder.Append(Injection);
            }
        }

        return builder.ToString();
    }

    /// <summary>YAML for <paramref name="text"/>: double-quoted with every non-printable escaped (exact), or raw in a
    /// single-quoted, plain or block scalar (whatever YAML makes of it).</summary>
    private static string Quote(string text, Random random)
    {
        switch (random.Next(5))
        {
            case 0:
                return "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";
            case 1:
                return text;
            case 2:
                return "|\n        " + text.Replace("\n", "\n        ", StringComparison.Ordinal);
            default:
                var builder = new StringBuilder("\"");
                foreach (var c in text)
                {
                    builder.Append(c switch
                    {
                        '"' => "\\\"",
                        '\\' => "\\\\",
                        '\u2028' => "\\L",
                        '\u2029' => "\\P",
                        '\u0085' => "\\N",
                        _ when c < ' ' || c > '~' => "\\u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture),
                        _ => c.ToString(),
                    });
                }

                return builder.Append('"').ToString();
        }
    }

    private static HostileCase Payload(Random random, string name)
    {
        var slot = Slots[random.Next(Slots.Length)];
        var text = HostileText(random);
        var q = Quote(text, random);
        var yaml = new StringBuilder("model_list:\n");
        yaml.Append("  - model_name: ").Append(slot is "model_name" ? q : slot is "wildcard" ? Quote("openai/*" + text, random) : "target").Append('\n');
        yaml.Append("    litellm_params:\n");
        yaml.Append("      model: ").Append(slot is "model" ? q : "openai/gpt-4o").Append('\n');
        yaml.Append("      api_key: ").Append(slot is "api_key" ? Quote("os.environ/KEY" + text, random) : "os.environ/OPENAI_API_KEY").Append('\n');
        foreach (var field in (string[])["api_base", "api_version", "rpm", "input_cost_per_token"])
        {
            if (slot == field)
            {
                yaml.Append("      ").Append(field).Append(": ").Append(q).Append('\n');
            }
        }

        if (slot is "key")
        {
            yaml.Append("      ").Append(q).Append(": value\n");
        }

        yaml.Append("    model_info:\n");
        foreach (var field in (string[])["mode", "id", "base_model"])
        {
            yaml.Append("      ").Append(field).Append(": ").Append(slot == field ? q : "chat").Append('\n');
        }

        yaml.Append(Entry("plain-neighbour"));
        yaml.Append("router_settings:\n  model_group_alias:\n    ");
        yaml.Append(slot is "group_alias" ? q : "alias").Append(": ").Append(slot is "group_target" ? q : "target").Append('\n');
        if (slot is "include")
        {
            yaml.Append("include:\n  - ").Append(q).Append('\n');
        }

        if (slot is "comment")
        {
            yaml.Append("# ").Append(text).Append('\n');
        }

        return FromText(name + $"payload in {slot}: {Escape(text)}", yaml.ToString());
    }

    private static HostileCase InvalidUtf8(Random random, string name)
    {
        byte[][] bad = [[0xC3, 0x28], [0xFF], [0xFE], [0xED, 0xA0, 0x80], [0xC0, 0xAF], [0xE2, 0x82], [0xF4, 0x90, 0x80, 0x80], [0x85], [0xE2, 0x80, 0xA8], [0xEF, 0xBB, 0xBF], [0x00]];
        var yaml = Encoding.UTF8.GetBytes("model_list:\n" + Entry("valid-one") + Entry("broken-here") + "general_settings: {note: text}\n").ToList();
        var inserts = random.Next(1, 6);
        for (var k = 0; k < inserts; k++)
        {
            var at = random.Next(yaml.Count + 1);
            yaml.InsertRange(at, bad[random.Next(bad.Length)]);
        }

        var bytes = yaml.ToArray();

        // The compiler decodes a file that is not UTF-8 with a fallback code page: Latin-1 turns 0x85 into U+0085 (NEL).
        var text = random.Next(2) == 0 ? Encoding.UTF8.GetString(bytes) : Encoding.Latin1.GetString(bytes);
        return new HostileCase(name + $"invalid UTF-8 ({inserts} sequences)", bytes, text, []);
    }

    private static HostileCase Include(Random random, string name)
    {
        var options = new (string Include, SideFile? File)[]
        {
            ("/dev/zero", null),
            ("/dev/random", null),
            ("/etc/passwd", null),
            ("../outside.yaml", null),
            ("sub/../../outside.yaml", null),
            ("pipe.yaml", new SideFile("pipe.yaml", Fifo: true)),
            ("zero.yaml", new SideFile("zero.yaml", LinkTo: "/dev/zero")),
            ("out.yaml", new SideFile("out.yaml", LinkTo: "../outside.yaml")),
            ("up/outside.yaml", new SideFile("up", LinkTo: "..")),
            ("dir.yaml", new SideFile("dir.yaml", Directory: true)),
            ("big.yaml", new SideFile("big.yaml", Bytes: new byte[LiteLlmConfigReaderLimit + 1])),
            ("bomb.yaml", new SideFile("bomb.yaml", Bytes: Encoding.UTF8.GetBytes(HostileYaml.AliasBomb()))),
            ("self.yaml", new SideFile("self.yaml", Bytes: Encoding.UTF8.GetBytes("include: [self.yaml]\nmodel_list: []\n"))),
            ("ok.yaml", new SideFile("ok.yaml", Bytes: Encoding.UTF8.GetBytes("model_list:\n" + Entry("included-ok")))),
        };
        var picked = Enumerable.Range(0, random.Next(1, 4)).Select(_ => options[random.Next(options.Length)]).ToArray();
        var yaml = "model_list:\n" + Entry("main") + "include:\n" + string.Concat(picked.Select(p => "  - " + p.Include + "\n"));
        var files = picked.Where(p => p.File is not null).Select(p => p.File!).DistinctBy(f => f.Name).ToArray();
        return FromText(name + "include " + string.Join(", ", picked.Select(p => p.Include)), yaml, files);
    }

    private static HostileCase Mutate(Random random, string name, HostileCase seed)
    {
        const string Noise = ":-[]{}\"'*&!|>#%@`,?\n\t \r\\<<~0123456789ab\u2028\u202E\u0085";
        var lines = seed.Text.Split('\n').ToList();
        for (var k = random.Next(1, 6); k > 0 && lines.Count > 0; k--)
        {
            var at = random.Next(lines.Count);
            switch (random.Next(4))
            {
                case 0:
                    lines.Insert(at, lines[random.Next(lines.Count)]);
                    break;
                case 1:
                    var line = lines[at];
                    var pos = random.Next(line.Length + 1);
                    lines[at] = line[..pos] + Noise[random.Next(Noise.Length)] + line[pos..];
                    break;
                case 2:
                    lines.RemoveAt(at);
                    break;
                default:
                    lines[at] = new string(' ', random.Next(8)) + lines[at].TrimStart();
                    break;
            }
        }

        var text = string.Join('\n', lines);
        return new HostileCase(name + "mutated " + seed.Name, Encoding.UTF8.GetBytes(text), text, seed.Files);
    }

    /// <summary>Non-printable characters as <c>\uXXXX</c>, for case names.</summary>
    public static string Escape(string text)
    {
        var builder = new StringBuilder();
        foreach (var c in text.Length > 80 ? text[..80] : text)
        {
            builder.Append(c < ' ' || c > '~' ? "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture) : c.ToString());
        }

        return builder.ToString();
    }
}
