using System.Diagnostics;
using System.Text;
using Kait.Sdk.Config;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Xunit.Abstractions;

namespace Kait.Sdk.Generators.Tests;

/// <summary>Hostile configs end the build in bounded time with a KAIT diagnostic at their line, and no config text
/// becomes code: alias bombs, merge chains, deep and recursive aliases, oversized files, line separators and bidi
/// controls.</summary>
public sealed class HostileConfigTests(ITestOutputHelper output)
{
    [Fact]
    public void The_alias_bomb_of_the_issue_stops_with_KAIT014_at_the_line_that_multiplies_it()
    {
        // Before: the generator walked 9^10 paths; it had not finished after 20 s.
        var yaml = HostileYaml.AliasBomb();
        Assert.InRange(yaml.Length, 600, 800);
        var read = Stopwatch.StartNew();
        var config = LiteLlmConfigReader.Read(yaml, "/project/config/litellm_config.yaml");
        read.Stop();
        var build = Stopwatch.StartNew();
        var result = GeneratorHarness.RunOn(yaml);
        build.Stop();
        output.WriteLine($"alias bomb ({yaml.Length} bytes): reader {read.Elapsed.TotalMilliseconds:F1} ms, generator run {build.Elapsed.TotalMilliseconds:F1} ms");

        var d = Assert.Single(result.Kait("KAIT014"));
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        var span = d.Location.GetLineSpan();
        Assert.Equal("/project/config/litellm_config.yaml", span.Path);
        Assert.Equal(HostileYaml.LineOf(yaml, "  l5:"), span.StartLinePosition.Line + 1);
        Assert.Contains("100,000 YAML nodes at the alias '*l4'", d.GetMessage(), StringComparison.Ordinal);
        Assert.Empty(result.CompileErrors);
        Assert.Contains(config.Diagnostics, x => x.Id == "KAIT014" && x.Location.Line == span.StartLinePosition.Line + 1);
        Assert.True(read.Elapsed < TimeSpan.FromSeconds(1), $"the reader took {read.Elapsed}");
    }

    [Fact]
    public void A_chain_of_merge_keys_is_counted_entry_by_entry()
    {
        var yaml = HostileYaml.MergeChain(2000);
        var result = GeneratorHarness.RunOn(yaml);
        var d = Assert.Single(result.Kait("KAIT014"));
        Assert.Contains("merging '<<' entries", d.GetMessage(), StringComparison.Ordinal);
        var line = d.Location.GetLineSpan().StartLinePosition.Line + 1;
        // Line i costs its alias of the mapping before (about 2i nodes) and the entries it copies (2i again): the
        // budget runs out near line 224, where the old reader had copied nothing yet and went on to n²/2 copies.
        Assert.InRange(line, 200, 250);
        Assert.Empty(result.CompileErrors);
    }

    [Fact]
    public void Aliases_that_nest_deeper_than_256_levels_stop_before_any_walk_recurses_into_them()
    {
        // 30,000 levels once followed: the old secret scan recursed once per level, past the thread's stack.
        var yaml = HostileYaml.AliasChain(30_000);
        Assert.True(yaml.Length < LiteLlmConfigReader.MaxFileBytes);
        var result = GeneratorHarness.RunOn(yaml);
        var d = Assert.Single(result.Kait("KAIT014"));
        Assert.Contains("nests deeper than 256 levels", d.GetMessage(), StringComparison.Ordinal);
        // general_settings (1), a254 (2), then a253 ... a0 (255), and a0's item at 257.
        Assert.Equal(HostileYaml.LineOf(yaml, "  a254:"), d.Location.GetLineSpan().StartLinePosition.Line + 1);
    }

    [Fact]
    public void Deep_flow_nesting_is_refused_at_its_line()
    {
        var yaml = "model_list: []\ngeneral_settings:\n  x: " + new string('[', 200_000) + "\n";
        var result = GeneratorHarness.RunOn(yaml);
        var d = Assert.Single(result.Kait("KAIT014"));
        Assert.Equal(3, d.Location.GetLineSpan().StartLinePosition.Line + 1);
        Assert.Empty(result.CompileErrors);
    }

    [Fact]
    public void A_structure_that_contains_itself_is_refused()
    {
        var result = GeneratorHarness.RunOn("model_list: []\ngeneral_settings: &s\n  again: [*s]\n");
        var d = Assert.Single(result.Kait("KAIT014"));
        Assert.Contains("'*s' inside the node it names", d.GetMessage(), StringComparison.Ordinal);
        Assert.Equal(3, d.Location.GetLineSpan().StartLinePosition.Line + 1);
    }

    [Fact]
    public void A_file_over_1_MiB_is_refused_before_it_is_parsed_at_the_line_where_the_cap_falls()
    {
        var yaml = "model_list:\n  - model_name: a\n    litellm_params: {model: openai/gpt-4o}\n# " + new string('x', LiteLlmConfigReader.MaxFileBytes) + "\n";
        var result = GeneratorHarness.RunOn(yaml);
        var d = Assert.Single(result.Kait("KAIT014"));
        Assert.Contains("larger than 1 MiB", d.GetMessage(), StringComparison.Ordinal);
        Assert.Equal(4, d.Location.GetLineSpan().StartLinePosition.Line + 1);
        Assert.DoesNotContain("Models.A", result.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void Multibyte_text_is_measured_in_UTF8_bytes()
    {
        // 400,000 three-byte characters: 1.2 MB of UTF-8 in 400,000 chars.
        var yaml = "model_list: []\ngeneral_settings:\n  note: \"" + new string('€', 400_000) + "\"\n";
        var result = LiteLlmConfigReader.Read(yaml, "c.yaml");
        Assert.Contains(result.Diagnostics, d => d.Id == "KAIT014" && d.Location.Line == 3);
    }

    [Fact]
    public void A_cancelled_read_stops()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => LiteLlmConfigReader.Read(HostileYaml.AliasBomb(levels: 5), "c.yaml", null, cts.Token));
    }

    [Fact]
    public void An_alias_with_a_line_separator_never_becomes_a_member()
    {
        // The issue's exploit: "\L" is YAML's escape for U+2028, where C# ends a /// line.
        var yaml = $$"""
            model_list:
              - model_name: "evil\L{{HostileYaml.Injection}}"
                litellm_params: {model: openai/gpt-4o}
              - model_name: fine
                litellm_params: {model: openai/gpt-4o}
            """;
        var result = GeneratorHarness.RunOn(yaml);
        var d = Assert.Single(result.Kait("KAIT016"));
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.Equal(2, d.Location.GetLineSpan().StartLinePosition.Line + 1);
        Assert.Contains("U+2028", d.GetMessage(), StringComparison.Ordinal);
        Assert.Contains("evil\\u2028public", d.GetMessage(), StringComparison.Ordinal); // shown, not obeyed
        Assert.DoesNotContain('\u2028', d.GetMessage());
        AssertNoInjection(result);
        Assert.Equal(["Fine"], AliasMembers(result));
    }

    [Theory]
    [InlineData("\\L")]
    [InlineData("\\P")]
    [InlineData("\\N")]
    [InlineData("\\r\\n")]
    [InlineData("\\u202E")]
    public void Text_that_is_not_a_name_is_escaped_wherever_it_lands(string lineBreak)
    {
        // The key variable goes into a doc comment and a literal; mode, id and base_model into literals.
        var payload = "x" + lineBreak + HostileYaml.Injection;
        var yaml = $$"""
            model_list:
              - model_name: target
                litellm_params:
                  model: openai/gpt-4o
                  api_key: "os.environ/KEY{{lineBreak}}{{HostileYaml.Injection}}"
                  api_version: "{{payload}}"
                model_info:
                  mode: "{{payload}}"
                  id: "\u2066{{payload}}\u2069"
                  base_model: "\u200F{{payload}}"
            """;
        var result = GeneratorHarness.RunOn(yaml);
        AssertNoInjection(result);
        Assert.Equal(["Target"], AliasMembers(result));

        // Roslyn reads each literal back as exactly the config's text.
        var config = LiteLlmConfigReader.Read(yaml, "c.yaml").Config.Aliases.Single().Deployments.Single();
        var literals = CSharpSyntaxTree.ParseText(result.Source).GetRoot().DescendantNodes().OfType<LiteralExpressionSyntax>()
            .Where(l => l.IsKind(SyntaxKind.StringLiteralExpression)).Select(l => l.Token.ValueText).ToHashSet(StringComparer.Ordinal);
        Assert.Contains(config.ApiKeyVariable!, literals);
        Assert.Contains(config.ApiVersion!, literals);
        Assert.Contains(config.Mode!, literals);
        Assert.Contains(config.Id!, literals);
        Assert.Contains(config.BaseModel!, literals);
    }

    [Fact]
    public void A_config_path_with_a_line_separator_is_escaped_in_every_comment_and_literal()
    {
        var path = "/project/config/x\u2028" + HostileYaml.Injection + "\u202E/litellm_config.yaml";
        var result = GeneratorHarness.RunOn("model_list:\n  - model_name: a\n    litellm_params: {model: openai/gpt-4o}\n", path);
        AssertNoInjection(result);
        Assert.Contains("config/x\\u2028public static int Injected", result.Source, StringComparison.Ordinal);
        Assert.Equal(["A"], AliasMembers(result));
    }

    [Fact]
    public void Literal_and_doc_escapers_keep_every_string_on_one_visible_line()
    {
        var alphabet = "ab\"\\'<>&/*{}\0\a\b\f\n\r\t\v\u001b\u007f\u0085\u00a0\u00ad\u061c\u200b\u200e\u200f\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff\ufffd\ud83d\ude00\ud800\udc00é漢";
        var random = new Random(7);
        for (var i = 0; i < 2000; i++)
        {
            var chars = new char[random.Next(0, 24)];
            for (var j = 0; j < chars.Length; j++)
            {
                chars[j] = alphabet[random.Next(alphabet.Length)];
            }

            var text = new string(chars);
            var literal = new StringBuilder();
            SourceWriter.AppendLiteral(literal, text);
            var token = SyntaxFactory.ParseToken(literal.ToString());
            Assert.True(token.IsKind(SyntaxKind.StringLiteralToken), literal.ToString());
            Assert.Equal(literal.Length, token.Span.Length);
            Assert.Equal(text, token.ValueText);
            Assert.Equal(-1, UnsafeText.IndexOfUnsafe(literal.ToString()));

            var doc = new StringBuilder();
            SourceWriter.AppendDocText(doc, text, xml: true);
            Assert.Equal(-1, UnsafeText.IndexOfUnsafe(doc.ToString()));
            Assert.DoesNotContain('<', doc.ToString());
            var comment = SyntaxFactory.ParseLeadingTrivia("/// <c>" + doc + "</c>\nclass C { }");
            Assert.Single(comment, t => t.IsKind(SyntaxKind.SingleLineDocumentationCommentTrivia));
        }
    }

    [Theory]
    [InlineData("/etc/passwd", "an absolute path")]
    [InlineData("C:\\\\secrets.yaml", "an absolute path")]
    [InlineData("sub/../../outside.yaml", "leaves the config's directory")]
    [InlineData("..\\\\outside.yaml", "leaves the config's directory")]
    public void An_include_outside_the_configs_directory_is_refused_at_its_line(string include, string reason)
    {
        var yaml = $"model_list: []\ninclude:\n  - \"{include}\"\n";
        var result = GeneratorHarness.Run([new ConfigFile("/project/config/litellm_config.yaml", yaml), new ConfigFile("/project/outside.yaml", "model_list: []\n", Marked: false)]);
        var d = Assert.Single(result.Kait("KAIT015"));
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.Equal(3, d.Location.GetLineSpan().StartLinePosition.Line + 1);
        Assert.Contains(reason, d.GetMessage(), StringComparison.Ordinal);
        Assert.Empty(result.Kait("KAIT009"));
    }

    /// <summary>The generated source holds no unsafe character and no member but the generator's own and the aliases'.</summary>
    internal static void AssertNoInjection(GeneratorResult result)
    {
        var source = result.Source;
        for (var i = 0; i < source.Length; i++)
        {
            Assert.False(source[i] != '\n' && UnsafeText.IsUnsafe(source, i), $"U+{(int)source[i]:X4} at {i} of the generated source");
        }

        Assert.DoesNotContain(result.GeneratorDiagnostics, d => d.Id == "KAIT013");
        Assert.Empty(result.CompileErrors);
        var models = result.Output.GetTypeByMetadataName("Consumer.Models")!;
        Assert.Empty(models.GetMembers("Injected"));
        Assert.Empty(models.GetTypeMembers("Names").Single().GetMembers("Injected"));
    }

    /// <summary>The public alias members of the generated <c>Models</c>, in order.</summary>
    internal static string[] AliasMembers(GeneratorResult result) =>
        [.. result.Output.GetTypeByMetadataName("Consumer.Models")!.GetMembers().OfType<IPropertySymbol>()
            .Where(p => p.DeclaredAccessibility == Accessibility.Public && p.Name is not "All" and not "Wildcards").Select(p => p.Name)];
}
