using System.Diagnostics;
using System.Text;
using Kait.Sdk.Config;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Xunit.Abstractions;

namespace Kait.Sdk.Generators.Tests;

/// <summary>A thousand hostile configs (<see cref="HostileConfigCorpus"/>) through the generator (the run-time loader
/// takes the same ones in <see cref="RuntimeHostileConfigTests"/>): each ends in bounded time, with no crash, no KAIT013, generated code that holds no unsafe character, parses
/// and compiles, and no member in <c>Models</c> but the generator's own and the aliases'.</summary>
public sealed class HostileConfigFuzzTests(ITestOutputHelper output)
{
    /// <summary>How many configs the fuzz tries (the run-time fuzz takes the same ones).</summary>
    internal const int Cases = 1000;

    internal const int Seed = 20261201;

    /// <summary>What any one config may take, on a loaded two-core machine; the slowest takes well under a second.</summary>
    internal static readonly TimeSpan CaseBound = TimeSpan.FromSeconds(10);

    /// <summary>A file beside the config's directory that no include may reach.</summary>
    internal const string Outside = "model_list:\n  - model_name: stolen\n    litellm_params: {model: openai/gpt-4o}\n";

    [Fact]
    public async Task Every_hostile_config_ends_the_build_in_bounded_time_with_no_injected_member()
    {
        var cases = HostileConfigCorpus.Generate(Cases, Seed).ToArray();
        GeneratorHarness.RunOn("model_list: []\n"); // compile the generator's code paths first: time the configs, not the JIT
        var slowest = (Name: string.Empty, Time: TimeSpan.Zero);
        var total = Stopwatch.StartNew();
        var checking = new Stopwatch();
        var sources = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var ids = new SortedDictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < cases.Length; i++)
        {
            var c = cases[i];
            List<ConfigFile> files =
            [
                new ConfigFile("/project/config/litellm_config.yaml", c.Text),
                new ConfigFile("/project/outside.yaml", Outside, Marked: false),
                .. c.Files.Where(f => f.Bytes is not null).Select(f => new ConfigFile("/project/config/" + f.Name, Encoding.UTF8.GetString(f.Bytes!), Marked: false)),
            ];
            var properties = new Dictionary<string, string> { ["KaitModelsNamespace"] = "Fuzz" + i };
            var watch = Stopwatch.StartNew();
            var result = await Task.Run(() => GeneratorHarness.Run(files, properties)).WaitAsync(CaseBound);
            watch.Stop();
            if (watch.Elapsed > slowest.Time)
            {
                slowest = (c.Name, watch.Elapsed);
            }

            var run = result.RunResult.Results.Single();
            Assert.True(run.Exception is null, c.Name + ": " + run.Exception);
            Assert.All(result.GeneratorDiagnostics, d => Assert.StartsWith("KAIT", d.Id, StringComparison.Ordinal));
            Assert.DoesNotContain(result.GeneratorDiagnostics, d => d.Id == "KAIT013");
            foreach (var id in result.GeneratorDiagnostics.Select(d => d.Id).Distinct())
            {
                ids[id] = ids.GetValueOrDefault(id) + 1;
            }

            checking.Start();
            AssertOnlyGeneratedMembers(run.GeneratedSources.Single().SyntaxTree, "Fuzz" + i, c.Name);
            checking.Stop();
            // Identical code (many configs end in the same empty Models) compiles identically: keep one of each.
            if (seen.Add(result.Source.Replace("namespace Fuzz" + i + "\n", "namespace Fuzz\n", StringComparison.Ordinal)))
            {
                sources.Add(result.Source);
            }
        }

        // Every distinct Models compiles (each in its own namespace, 250 to a compilation).
        var generated = total.Elapsed;
        foreach (var batch in sources.Chunk(250))
        {
            var errors = GeneratorHarness.Compilation(batch).GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
            Assert.True(errors.Length == 0, string.Join("\n", errors.Take(5)));
        }

        output.WriteLine($"generator: {cases.Length} hostile configs in {generated.TotalSeconds:F1} s (checks {checking.Elapsed.TotalSeconds:F1} s), {sources.Count} distinct outputs compiled in {(total.Elapsed - generated).TotalSeconds:F1} s; slowest {slowest.Time.TotalMilliseconds:F0} ms ({slowest.Name})");
        output.WriteLine("configs reporting each id: " + string.Join(", ", ids.Select(kv => kv.Key + " " + kv.Value)));
        Assert.True(ids.GetValueOrDefault("KAIT014") > 100 && ids.GetValueOrDefault("KAIT015") > 10 && ids.GetValueOrDefault("KAIT016") > 50, "the corpus must reach every limit");
    }

    /// <summary>The generated file parses, holds no unsafe character, and declares one class <c>Models</c> whose members
    /// are the generator's own (<c>All</c>, <c>Wildcards</c>, <c>TryGet</c>, <c>Names</c>, the module initializer) and
    /// one <c>ModelAlias</c> property per entry of <c>All</c>, with only <c>const string</c>s in <c>Names</c>.</summary>
    private static void AssertOnlyGeneratedMembers(SyntaxTree tree, string ns, string because)
    {
        var source = tree.GetText().ToString();
        for (var i = 0; i < source.Length; i++)
        {
            Assert.False(source[i] != '\n' && UnsafeText.IsUnsafe(source, i), $"{because}: U+{(int)source[i]:X4} at {i} of the generated source");
        }

        var root = tree.GetCompilationUnitRoot();
        Assert.True(!root.GetDiagnostics().Any(), because + ": " + string.Join("; ", root.GetDiagnostics()));
        Assert.DoesNotContain(root.DescendantTokens(), t => t.IsKind(SyntaxKind.IdentifierToken) && t.ValueText == "Injected");
        var namespaceDeclaration = Assert.IsAssignableFrom<BaseNamespaceDeclarationSyntax>(Assert.Single(root.Members));
        Assert.Equal(ns, namespaceDeclaration.Name.ToString());
        var models = Assert.IsType<ClassDeclarationSyntax>(Assert.Single(namespaceDeclaration.Members));
        Assert.Equal("Models", models.Identifier.ValueText);
        var listed = models.Members.OfType<PropertyDeclarationSyntax>().Single(p => p.Identifier.ValueText == "All")
            .DescendantNodes().OfType<IdentifierNameSyntax>().Select(n => n.Identifier.ValueText).ToHashSet(StringComparer.Ordinal);
        foreach (var member in models.Members)
        {
            switch (member)
            {
                case PropertyDeclarationSyntax p when p.Identifier.ValueText is "All" or "Wildcards":
                    break;
                case PropertyDeclarationSyntax p:
                    Assert.Equal("global::Kait.Sdk.ModelAlias", p.Type.ToString());
                    Assert.Contains(p.Identifier.ValueText, listed);
                    break;
                case MethodDeclarationSyntax m when m.Identifier.ValueText is "TryGet" or "RegisterWithKaitCatalog":
                    break;
                case ClassDeclarationSyntax names when names.Identifier.ValueText == "Names":
                    Assert.All(names.Members, n =>
                    {
                        var field = Assert.IsType<FieldDeclarationSyntax>(n);
                        Assert.Contains(field.Modifiers, m => m.IsKind(SyntaxKind.ConstKeyword));
                        Assert.Equal("string", field.Declaration.Type.ToString());
                    });
                    break;
                default:
                    Assert.Fail(because + ": unexpected member " + member.ToString().Split('\n')[0]);
                    break;
            }
        }
    }
}
