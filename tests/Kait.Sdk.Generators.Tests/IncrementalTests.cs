using System.Collections;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Kait.Sdk.Generators.Tests;

/// <summary>The pipeline caches: an unrelated edit does no YAML work; a YAML edit re-runs; no model holds a symbol.</summary>
public sealed class IncrementalTests
{
    private static readonly string[] Steps = [ModelsGenerator.Steps.Options, ModelsGenerator.Steps.YamlFiles, ModelsGenerator.Steps.Spec];

    [Fact]
    public void An_unrelated_cs_edit_leaves_every_step_cached()
    {
        var compilation = GeneratorHarness.Compilation("class A { }");
        var driver = GeneratorHarness.Driver([new ConfigFile("/project/config/litellm_config.yaml", File.ReadAllText(TestPaths.DefaultConfig))]);
        driver = driver.RunGenerators(compilation);

        var edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("class B { int X => 1; }", path: "/project/B.cs"));
        driver = driver.RunGenerators(edited);
        var result = driver.GetRunResult().Results.Single();

        foreach (var step in Steps)
        {
            var runs = result.TrackedSteps[step];
            Assert.All(runs.SelectMany(r => r.Outputs), o => Assert.True(
                o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                $"{step} was {o.Reason} after an unrelated edit"));
        }

        Assert.All(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(r => r.Outputs), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
    }

    [Fact]
    public void An_unrelated_cs_edit_leaves_a_1000_alias_config_cached_with_the_same_source()
    {
        var compilation = GeneratorHarness.Compilation("class A { }");
        var driver = GeneratorHarness.Driver([new ConfigFile("/project/config/litellm_config.yaml", LargeConfig(1000))]);
        driver = driver.RunGenerators(compilation);
        var first = driver.GetRunResult().Results.Single();
        Assert.Empty(first.Diagnostics);
        var before = first.GeneratedSources.Single().SourceText.ToString();
        Assert.Contains(": 1000 aliases, 0 wildcard groups.", before, StringComparison.Ordinal);

        var tree = compilation.SyntaxTrees.Single();
        var edited = compilation.ReplaceSyntaxTree(tree, CSharpSyntaxTree.ParseText("class A { int X => 1; }", (CSharpParseOptions)tree.Options, tree.FilePath));
        driver = driver.RunGenerators(edited);
        var result = driver.GetRunResult().Results.Single();

        foreach (var step in Steps)
        {
            Assert.All(result.TrackedSteps[step].SelectMany(r => r.Outputs), o => Assert.True(
                o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                $"{step} was {o.Reason} after an unrelated edit"));
        }

        Assert.All(result.TrackedSteps[ModelsGenerator.Steps.Spec].SelectMany(r => r.Outputs), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
        Assert.All(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(r => r.Outputs), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
        Assert.Equal(before, result.GeneratedSources.Single().SourceText.ToString());
    }

    [Fact]
    public void A_yaml_edit_reruns_the_spec_and_changes_the_output()
    {
        var compilation = GeneratorHarness.Compilation("class A { }");
        var original = File.ReadAllText(TestPaths.DefaultConfig);
        var driver = GeneratorHarness.Driver([new ConfigFile("/project/config/litellm_config.yaml", original)], out var texts);
        driver = driver.RunGenerators(compilation);
        var before = driver.GetRunResult().Results.Single().GeneratedSources.Single().SourceText.ToString();

        var edited = original.Replace("claude-strong", "claude-mighty", StringComparison.Ordinal);
        driver = driver.ReplaceAdditionalText(texts.Single(), new GeneratorHarness.InMemoryAdditionalText("/project/config/litellm_config.yaml", edited));
        driver = driver.RunGenerators(compilation);
        var result = driver.GetRunResult().Results.Single();

        Assert.Contains(result.TrackedSteps[ModelsGenerator.Steps.Spec].SelectMany(r => r.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        var after = result.GeneratedSources.Single().SourceText.ToString();
        Assert.Contains("ClaudeMighty", after, StringComparison.Ordinal);
        Assert.DoesNotContain("ClaudeStrong", after, StringComparison.Ordinal);
        Assert.Contains("ClaudeStrong", before, StringComparison.Ordinal);
    }

    [Fact]
    public void No_pipeline_model_holds_a_symbol_or_a_compilation()
    {
        var compilation = GeneratorHarness.Compilation("class A { }");
        var driver = GeneratorHarness.Driver([new ConfigFile("/project/config/litellm_config.yaml", File.ReadAllText(TestPaths.DefaultConfig))]).RunGenerators(compilation);
        var result = driver.GetRunResult().Results.Single();
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        foreach (var step in Steps)
        {
            foreach (var output in result.TrackedSteps[step].SelectMany(r => r.Outputs))
            {
                AssertNoRoslynState(output.Value, step, seen);
            }
        }

        // And by type, so a future field is caught even when it happens to be null in this run.
        foreach (var type in typeof(ModelsGenerator).Assembly.GetTypes().Where(t => t.Namespace == "Kait.Sdk.Generators" && t.Name.EndsWith("Spec", StringComparison.Ordinal) || t.Name is "GeneratorOptions" or "YamlFile" or "DiagnosticInfo"))
        {
            foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public))
            {
                Assert.False(IsRoslynState(field.FieldType), $"{type.Name}.{field.Name} is a {field.FieldType}");
            }
        }
    }

    /// <summary>A config of <paramref name="aliases"/> aliases: model groups (every fifth load-balanced over two
    /// deployments, most keys <c>os.environ/</c>) and a tenth of them in <c>router_settings.model_group_alias</c>.</summary>
    private static string LargeConfig(int aliases)
    {
        var groupAliases = aliases / 10;
        var groups = aliases - groupAliases;
        var yaml = new System.Text.StringBuilder("model_list:\n");
        for (var i = 0; i < groups; i++)
        {
            var (model, key) = (i % 3) switch
            {
                0 => ("anthropic/claude-sonnet-4-20250514", "os.environ/ANTHROPIC_API_KEY"),
                1 => ("openai/gpt-4o-mini", "os.environ/OPENAI_API_KEY"),
                _ => ("ollama/llama3.1", null),
            };
            for (var copy = 0; copy < (i % 5 == 4 ? 2 : 1); copy++)
            {
                yaml.Append($"  - model_name: model-{i:D4}\n    litellm_params:\n      model: {model}\n");
                if (key is not null)
                {
                    yaml.Append($"      api_key: {key}\n");
                }
            }
        }

        yaml.Append("router_settings:\n  model_group_alias:\n");
        for (var j = 0; j < groupAliases; j++)
        {
            yaml.Append($"    latest-{j:D4}: model-{j * 7 % groups:D4}\n");
        }

        return yaml.ToString();
    }

    private static void AssertNoRoslynState(object? value, string step, HashSet<object> seen)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value is decimal || value is Enum || !seen.Add(value))
        {
            return;
        }

        Assert.False(IsRoslynState(value.GetType()), $"step {step} holds a {value.GetType()}");
        if (value is IEnumerable items)
        {
            foreach (var item in items)
            {
                AssertNoRoslynState(item, step, seen);
            }
        }

        foreach (var field in value.GetType().GetFields(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public))
        {
            if (!field.FieldType.IsPointer)
            {
                AssertNoRoslynState(field.GetValue(value), step, seen);
            }
        }
    }

    private static bool IsRoslynState(Type type) =>
        typeof(ISymbol).IsAssignableFrom(type) || typeof(Compilation).IsAssignableFrom(type) || typeof(SyntaxNode).IsAssignableFrom(type)
        || typeof(SemanticModel).IsAssignableFrom(type) || typeof(SyntaxTree).IsAssignableFrom(type) || typeof(Location).IsAssignableFrom(type);
}
