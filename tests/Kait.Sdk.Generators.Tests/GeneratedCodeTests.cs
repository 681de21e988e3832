using System.Reflection;
using System.Runtime.Loader;
using Kait.Sdk.Config;
using Microsoft.CodeAnalysis;

namespace Kait.Sdk.Generators.Tests;

/// <summary>What a user compiles against and runs.</summary>
public sealed class GeneratedCodeTests
{
    private static readonly string DefaultYaml = File.ReadAllText(TestPaths.DefaultConfig);

    [Fact]
    public void A_misspelt_alias_fails_the_build_with_CS0117_at_its_line()
    {
        var result = GeneratorHarness.RunOn(DefaultYaml, sources: "class C\n{\n    object M() => Consumer.Models.ClaudeFsat;\n}");
        var error = Assert.Single(result.CompileErrors);
        Assert.Equal("CS0117", error.Id);
        Assert.Equal(3, error.Location.GetLineSpan().StartLinePosition.Line + 1);
        Assert.Contains("ClaudeFsat", error.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void Names_are_constants_usable_in_switch_and_attributes_and_ModelAlias_converts_to_string()
    {
        const string source = """
            using Consumer;
            [System.Obsolete(Models.Names.ClaudeFast)]
            class C
            {
                static int Pick(string s) => s switch { Models.Names.ClaudeFast => 1, Models.Names.OpenaiDefault => 2, _ => 0 };
                static string Name() => Models.ClaudeFast;
            }
            """;
        var result = GeneratorHarness.RunOn(DefaultYaml, sources: source);
        Assert.Empty(result.CompileErrors);
        Assert.Empty(result.GeneratorDiagnostics);
    }

    [Fact]
    public void Namespace_and_visibility_follow_the_msbuild_properties()
    {
        var props = new Dictionary<string, string> { ["KaitModelsNamespace"] = "My.Llm", ["KaitModelsVisibility"] = "public" };
        var result = GeneratorHarness.Run([new ConfigFile("/project/config/litellm_config.yaml", DefaultYaml)], props, "public class C { public static My.Llm.Models.Names? N; }");
        Assert.Contains("namespace My.Llm", result.Source, StringComparison.Ordinal);
        Assert.Contains("public static partial class Models", result.Source, StringComparison.Ordinal);
        Assert.DoesNotContain(result.CompileErrors, e => e.Id != "CS0723"); // static type as field type: any other error means a wrong namespace
    }

    [Fact]
    public void Models_is_internal_by_default()
    {
        var result = GeneratorHarness.RunOn(DefaultYaml);
        Assert.Contains("internal static partial class Models", result.Source, StringComparison.Ordinal);
        Assert.Contains("namespace Consumer", result.Source, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("claude-fast", "ClaudeFast")]
    [InlineData("gpt-3.5-turbo", "Gpt35Turbo")]
    [InlineData("bedrock/batch-us.anthropic.claude-haiku-4-5-20251001-v1:0", "BedrockBatchUsAnthropicClaudeHaiku4520251001V10")]
    [InlineData("4o", "_4o")]
    [InlineData("all", "All_")]
    [InlineData("try-get", "TryGet_")]
    [InlineData("wildcards", "Wildcards_")]
    [InlineData("names", "Names_")]
    [InlineData("models", "Models_")]
    [InlineData("to-string", "ToString_")]
    [InlineData("---", "")]
    public void Identifier_is_the_PascalCase_of_alphanumeric_runs(string alias, string expected) =>
        Assert.Equal(expected, AliasIdentifiers.ToIdentifier(alias));

    [Fact]
    public void Awkward_aliases_still_compile()
    {
        const string yaml = """
            model_list:
              - model_name: all
                litellm_params: { model: gpt-4o }
              - model_name: names
                litellm_params: { model: gpt-4o }
              - model_name: models
                litellm_params: { model: gpt-4o }
              - model_name: 1-model
                litellm_params: { model: gpt-4o }
              - model_name: "quote\"and\\slash <tag> & more"
                litellm_params: { model: "openai/<deployment>" }
              - model_name: "---"
                litellm_params: { model: gpt-4o }
            """;
        var result = GeneratorHarness.RunOn(yaml, sources: "static class P { static object[] M => [Consumer.Models.All_, Consumer.Models.Names_, Consumer.Models.Models_, Consumer.Models._1Model, Consumer.Models.Names.QuoteAndSlashTagMore]; }");
        Assert.Empty(result.CompileErrors);
        Assert.Single(result.Kait("KAIT010"));
    }

    [Fact]
    public void Generated_code_registers_with_the_catalogue_at_module_load_and_carries_the_config()
    {
        const string probe = """
            public static class Probe
            {
                public static string Run()
                {
                    var fast = Consumer.Models.ClaudeFast;
                    var d = fast.Deployments[0];
                    Consumer.Models.TryGet("openai-fast", out var openai);
                    var catalog = new Kait.Sdk.ModelCatalog();
                    catalog.TryResolve("claude-strong", out var strong);
                    return string.Join("|", (string)fast, d.Provider, d.ProviderModel, d.ApiKeyVariable, Consumer.Models.All.Count, openai!.Deployments[0].Model, strong?.Deployments[0].Model, fast.Source);
                }
            }
            """;
        var result = GeneratorHarness.RunOn(DefaultYaml, sources: probe);
        Assert.Empty(result.CompileErrors);
        var value = Execute(result.Output, "Probe", "Run");
        Assert.Equal("claude-fast|anthropic|claude-haiku-4-5-20251001|ANTHROPIC_API_KEY|6|openai/gpt-4o-mini|anthropic/claude-opus-4-6|config/litellm_config.yaml:11", value);
    }

    [Fact]
    public void Prices_rpm_and_wildcards_reach_the_generated_members()
    {
        const string probe = """
            public static class Probe
            {
                public static string Run()
                {
                    var d = Consumer.Models.AzureModel.Deployments[0];
                    return string.Join("|", d.InputCostPerToken, d.OutputCostPerToken, d.ApiBase, Consumer.Models.Wildcards.Count);
                }
            }
            """;
        var result = GeneratorHarness.Run(BaselineTests.Files("docs__my-website__docs__proxy__custom_pricing.md__block2_cost_per_token.yaml"), null, probe);
        Assert.Empty(result.CompileErrors);
        Assert.Equal("0.000421|0.000520|os.environ/AZURE_API_BASE|0", Execute(result.Output, "Probe", "Run"));
    }

    [Fact]
    public void Model_info_capability_flags_reach_the_generated_deployments()
    {
        const string yaml = """
            model_list:
              - model_name: claude-native
                litellm_params:
                  model: anthropic/claude-haiku-4-5-20251001
                  api_key: os.environ/ANTHROPIC_API_KEY
                model_info:
                  supports_native_structured_output: true
                  supports_reasoning: false
                  supports_prompt_caching: true
            """;
        const string probe = """
            public static class Probe
            {
                public static string Run()
                {
                    var d = Consumer.Models.ClaudeNative.Deployments[0];
                    return string.Join("|", d.SupportsResponseSchema?.ToString() ?? "null", d.SupportsNativeStructuredOutput, d.SupportsReasoning, d.SupportsPromptCaching);
                }
            }
            """;
        var result = GeneratorHarness.RunOn(yaml, sources: probe);
        Assert.Empty(result.CompileErrors);
        Assert.Equal("null|True|False|True", Execute(result.Output, "Probe", "Run"));
    }

    private static string? Execute(Compilation compilation, string type, string method)
    {
        using var stream = new MemoryStream();
        var emit = compilation.Emit(stream);
        Assert.True(emit.Success, string.Join("\n", emit.Diagnostics));
        stream.Position = 0;
        var context = new AssemblyLoadContext("probe-" + Guid.NewGuid(), isCollectible: true);
        try
        {
            var assembly = context.LoadFromStream(stream);
            return (string?)assembly.GetType(type)!.GetMethod(method, BindingFlags.Public | BindingFlags.Static)!.Invoke(null, null);
        }
        finally
        {
            context.Unload();
        }
    }
}
