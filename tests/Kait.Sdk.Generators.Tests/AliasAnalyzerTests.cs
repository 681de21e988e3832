using Kait.Sdk.CodeFixes;
using Kait.Sdk.Generators.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;

namespace Kait.Sdk.Generators.Tests;

/// <summary>KAIT100/KAIT101 on alias strings, and the code fixes, on offline reference assemblies.</summary>
public sealed class AliasAnalyzerTests
{
    private static readonly string DefaultYaml = File.ReadAllText(TestPaths.DefaultConfig);

    [Fact]
    public async Task KAIT100_unknown_alias_points_at_the_literal_suggests_the_nearest_and_the_fix_uses_Names()
    {
        const string source = """
            using Kait.Sdk;
            namespace Consumer;
            class C
            {
                ModelAlias M(ModelCatalog catalog) => catalog.Resolve({|#0:"claude-fsat"|});
            }
            """;
        const string fixedSource = """
            using Kait.Sdk;
            namespace Consumer;
            class C
            {
                ModelAlias M(ModelCatalog catalog) => catalog.Resolve(Models.Names.ClaudeFast);
            }
            """;
        await Verify(source, fixedSource, DefaultYaml,
            new DiagnosticResult("KAIT100", DiagnosticSeverity.Error).WithLocation(0).WithMessage("Unknown model alias 'claude-fsat'. Did you mean 'claude-fast'?"));
    }

    [Fact]
    public async Task KAIT101_known_alias_string_is_info_and_becomes_Models_Names()
    {
        const string source = """
            namespace Consumer;
            class C
            {
                object M(Kait.Sdk.IModelCatalog catalog) => catalog.Resolve({|#0:"claude-strong"|});
            }
            """;
        const string fixedSource = """
            namespace Consumer;
            class C
            {
                object M(Kait.Sdk.IModelCatalog catalog) => catalog.Resolve(Models.Names.ClaudeStrong);
            }
            """;
        await Verify(source, fixedSource, DefaultYaml,
            new DiagnosticResult("KAIT101", DiagnosticSeverity.Info).WithLocation(0).WithMessage("Use Models.ClaudeStrong instead of the string 'claude-strong'"));
    }

    [Fact]
    public async Task Where_an_overload_takes_a_ModelAlias_the_fix_uses_the_typed_member()
    {
        const string api = """
            using Kait.Sdk;
            namespace Consumer;
            public class Api
            {
                public void Call([ModelAliasName] string model) { }
                public void Call(ModelAlias model) { }
            }
            """;
        await Verify(
            [api, "namespace Consumer; class C { void M() => new Api().Call({|KAIT101:\"openai-fast\"|}); }"],
            [api, "namespace Consumer; class C { void M() => new Api().Call(Models.OpenaiFast); }"],
            DefaultYaml);
    }

    [Fact]
    public async Task Properties_fields_initializers_and_constants_count_runtime_values_and_nameof_do_not()
    {
        const string source = """
            using Kait.Sdk;
            namespace Consumer;
            class Settings
            {
                [ModelAliasName] public string Model { get; set; } = {|KAIT100:"claude-fsat"|};
                [ModelAliasName] public string Other = {|KAIT100:"gpt-9000-ultra"|};
            }
            class C
            {
                const string Typo = "openai-fsat";
                void M(ModelCatalog catalog, string fromUser)
                {
                    var s = new Settings { Model = {|KAIT100:"claude-defualt"|} };
                    s.Other = {|KAIT100:Typo|};
                    catalog.Resolve(fromUser);
                    catalog.Resolve(nameof(Settings));
                    catalog.Resolve($"{Typo}");
                }
            }
            """;
        var test = Test([source], null, DefaultYaml);
        test.ExpectedDiagnostics.Add(new DiagnosticResult("KAIT100", DiagnosticSeverity.Error).WithSpan(17, 25, 17, 34));
        await test.RunAsync();
    }

    [Fact]
    public async Task Wildcards_make_matching_strings_valid_and_a_bare_star_makes_every_string_valid()
    {
        const string wildcardYaml = """
            model_list:
              - model_name: claude-fast
                litellm_params: { model: anthropic/claude-haiku-4-5-20251001 }
              - model_name: "anthropic/*"
                litellm_params: { model: "anthropic/*" }
            """;
        const string source = """
            namespace Consumer;
            class C
            {
                object A(Kait.Sdk.ModelCatalog c) => c.Resolve("anthropic/claude-3-opus");
                object B(Kait.Sdk.ModelCatalog c) => c.Resolve({|KAIT100:"openai/gpt-4o"|});
            }
            """;
        await Test([source], null, wildcardYaml).RunAsync();

        var catchAll = wildcardYaml + "\n  - model_name: \"*\"\n    litellm_params: { model: \"openai/*\" }\n";
        await Test([source.Replace("{|KAIT100:\"openai/gpt-4o\"|}", "\"openai/gpt-4o\"", StringComparison.Ordinal)], null, catchAll).RunAsync();
    }

    [Fact]
    public async Task Without_a_config_nothing_is_reported()
    {
        var test = Test(["namespace Consumer; class C { object M(Kait.Sdk.ModelCatalog c) => c.Resolve(\"whatever\"); }"], null, null);
        await test.RunAsync();
    }

    [Fact]
    public async Task A_config_over_the_limits_makes_the_analyzer_report_nothing_rather_than_every_string()
    {
        // KAIT014 from the generator says what is wrong; an empty alias list must not turn every string into KAIT100.
        var test = Test(["namespace Consumer; class C { object M(Kait.Sdk.ModelCatalog c) => c.Resolve(\"ok\"); }"], null, HostileYaml.AliasBomb());
        await test.RunAsync();
    }

    private static Task Verify(string source, string fixedSource, string yaml, params DiagnosticResult[] expected) => Verify([source], [fixedSource], yaml, expected);

    private static async Task Verify(string[] sources, string[] fixedSources, string yaml, params DiagnosticResult[] expected)
    {
        var test = Test(sources, fixedSources, yaml);
        test.ExpectedDiagnostics.AddRange(expected);
        await test.RunAsync();
    }

    private static CSharpCodeFixTest<ModelAliasStringAnalyzer, ModelAliasCodeFixProvider, DefaultVerifier> Test(string[] sources, string[]? fixedSources, string? yaml)
    {
        var test = new CSharpCodeFixTest<ModelAliasStringAnalyzer, ModelAliasCodeFixProvider, DefaultVerifier>
        {
            ReferenceAssemblies = new ReferenceAssemblies("net10.0"),
        };
        test.TestState.AdditionalReferences.AddRange(OfflineReferences());
        foreach (var s in sources)
        {
            test.TestState.Sources.Add(s);
        }

        test.TestState.AnalyzerConfigFiles.Add(("/.globalconfig", "is_global = true\nbuild_property.RootNamespace = Consumer\n"));
        // The generated Models, as the generator emits it for this config (the analyzer itself never needs it).
        var generated = yaml is null ? GeneratorHarness.Run([]).Source : GeneratorHarness.RunOn(yaml).Source;
        test.TestState.Sources.Add(("/0/Models.g.cs", generated));
        if (yaml is not null)
        {
            test.TestState.AdditionalFiles.Add(("/0/config/litellm_config.yaml", yaml));
        }

        if (fixedSources is not null)
        {
            foreach (var s in fixedSources)
            {
                test.FixedState.Sources.Add(s);
            }

            test.FixedState.Sources.Add(("/0/Models.g.cs", generated));
            test.FixedState.AdditionalFiles.AddRange(test.TestState.AdditionalFiles);
            test.FixedState.AnalyzerConfigFiles.AddRange(test.TestState.AnalyzerConfigFiles);
            test.FixedState.MarkupHandling = MarkupMode.Allow;
        }

        return test;
    }

    private static IEnumerable<MetadataReference> OfflineReferences()
    {
        var tpa = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        foreach (var path in tpa.Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "netstandard.dll" or "mscorlib.dll"))
        {
            yield return MetadataReference.CreateFromFile(path);
        }

        yield return MetadataReference.CreateFromFile(typeof(ModelAlias).Assembly.Location);
    }
}
