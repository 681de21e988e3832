using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Kait.Sdk.Config;
using Kait.Sdk.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace Kait.Sdk.Benchmarks.Generator;

/// <summary>
/// <see cref="ModelsGenerator"/> the way the compiler drives it: a <see cref="CSharpGeneratorDriver"/> over a one-file
/// compilation and <c>config/litellm_config.yaml</c> as an AdditionalFile marked <c>KaitConfig</c>
/// (<see cref="GeneratorConfigs"/>: <see cref="Aliases"/> aliases). The timed drivers do not track steps (neither does
/// the compiler's) and disable no output (<see cref="IncrementalGeneratorOutputKind.None"/>). The driver parses
/// <c>Models.g.cs</c> lazily (<c>ParseTextLazy</c>): its syntax tree is only built when the compilation asks, so the
/// Roslyn parse of the generated source is in <see cref="FullRunAndParse"/> only. What each method times:
/// <list type="bullet">
/// <item><see cref="FullRun"/>: a fresh driver (generator initialisation) and its first <c>RunGenerators</c>: the
/// AdditionalText read into a string, the YAML read, identifiers assigned, <c>Models.g.cs</c> written and added. A cold
/// build, or the IDE opening the project.</item>
/// <item><see cref="FullRunAndParse"/>: <see cref="FullRun"/> plus the generated tree's <c>GetRoot()</c>, the parse the
/// compilation then does (the compiler's cost for 1.09 MB of C# at 1,000 aliases, not the generator's).</item>
/// <item><see cref="ReadConfig"/>, for the split: <see cref="LiteLlmConfigReader.Read"/> alone, the YAML part of
/// <see cref="FullRun"/> (YamlDotNet's parse, the tree, LiteLLM's semantics, the secret scan).</item>
/// <item><see cref="IncrementalRerun"/>: <c>RunGenerators</c> on a driver that already ran, with a compilation that
/// differs from the previous run's by one edited C# file (the IDE after a keystroke in a .cs file). Two compilations
/// are built in the setup and alternated, the driver state kept across invocations, so only the re-run is timed (no
/// <c>[IterationSetup]</c>, which BenchmarkDotNet discourages for operations this short). The setup proves, with a
/// step-tracking driver, that this run reads no YAML: every output of the generator's steps is
/// <see cref="IncrementalStepRunReason.Cached"/> or <see cref="IncrementalStepRunReason.Unchanged"/>.</item>
/// <item><see cref="YamlEdit"/>, for reference: the config's text replaced (the first deployment's model changed, the
/// aliases the same; two texts alternated) and <c>RunGenerators</c> again: the YAML read, emit and parse again on a
/// warm driver.</item>
/// </list>
/// Goal (issue 8): <see cref="FullRun"/> ≤ 25 ms for 1,000 aliases; <see cref="IncrementalRerun"/> does no YAML work.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Throughput, launchCount: 1, warmupCount: 6, iterationCount: 5, id: "Settled")] // one launch (a 2-core box), warm-up long enough for the JIT's tiering of a deep async stack
public class GeneratorBenchmarks
{
    private const string ConfigPath = "/bench/config/litellm_config.yaml";

    private static readonly CSharpParseOptions ParseOptions = CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Latest);
    private static readonly string[] PipelineSteps = [ModelsGenerator.Steps.Options, ModelsGenerator.Steps.YamlFiles, ModelsGenerator.Steps.Spec];

    private readonly ISourceGenerator generator = new ModelsGenerator().AsSourceGenerator();
    private readonly BenchOptionsProvider options = new();
    private ImmutableArray<AdditionalText> texts;
    private AdditionalText original = null!;
    private AdditionalText edited = null!;
    private CSharpCompilation compilation = null!;
    private CSharpCompilation compilationEdited = null!;
    private GeneratorDriver warm = null!;
    private bool flip;

    /// <summary>Aliases in the config (model groups plus <c>model_group_alias</c> entries).</summary>
    [Params(10, 100, 1000)]
    public int Aliases { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        original = new BenchAdditionalText(ConfigPath, GeneratorConfigs.Build(Aliases));
        edited = new BenchAdditionalText(ConfigPath, GeneratorConfigs.Build(Aliases, edited: true));
        texts = [original];

        // One C# file; the edit adds a member to it (a new tree, as the IDE makes on a keystroke).
        var file = CSharpSyntaxTree.ParseText("namespace Bench;\n\npublic static class Program\n{\n    public static int Main() => 0;\n}\n", ParseOptions, path: "/bench/Program.cs");
        var fileEdited = CSharpSyntaxTree.ParseText("namespace Bench;\n\npublic static class Program\n{\n    public static int Main() => Helper();\n\n    private static int Helper() => 0;\n}\n", ParseOptions, path: "/bench/Program.cs");
        compilation = CSharpCompilation.Create(
            "Bench",
            [file],
            [MetadataReference.CreateFromFile(typeof(object).Assembly.Location)],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        compilationEdited = compilation.ReplaceSyntaxTree(file, fileEdited);

        Verify();

        warm = NewDriver(trackSteps: false).RunGenerators(compilation);
        flip = false;
    }

    [Benchmark(Baseline = true)]
    public GeneratorDriver FullRun() => NewDriver(trackSteps: false).RunGenerators(compilation);

    [Benchmark]
    public SyntaxNode FullRunAndParse() => NewDriver(trackSteps: false).RunGenerators(compilation).GetRunResult().GeneratedTrees[0].GetRoot();

    [Benchmark]
    public object ReadConfig() => LiteLlmConfigReader.Read(original.GetText()!.ToString(), ConfigPath).Config;

    [Benchmark]
    public GeneratorDriver IncrementalRerun()
    {
        flip = !flip;
        return warm = warm.RunGenerators(flip ? compilationEdited : compilation);
    }

    [Benchmark]
    public GeneratorDriver YamlEdit()
    {
        flip = !flip;
        var (from, to) = flip ? (original, edited) : (edited, original);
        return warm = warm.ReplaceAdditionalText(from, to).RunGenerators(compilation);
    }

    /// <summary>Throws unless the config generates <see cref="Aliases"/> aliases with no diagnostic, and the re-run after an
    /// unrelated edit leaves every step cached (no YAML read) with the same source.</summary>
    private void Verify()
    {
        var driver = NewDriver(trackSteps: true).RunGenerators(compilation);
        var first = driver.GetRunResult().Results.Single();
        if (first.Exception is not null || !first.Diagnostics.IsEmpty || first.GeneratedSources.Length != 1)
        {
            throw new InvalidOperationException($"The generator failed on the benchmark config: {first.Exception?.Message} {string.Join("; ", first.Diagnostics)}");
        }

        var source = first.GeneratedSources[0].SourceText.ToString();
        var summary = string.Create(CultureInfo.InvariantCulture, $": {Aliases} aliases, 0 wildcard groups.");
        if (!source.Contains(summary, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"The generated Models class does not have {Aliases} aliases.");
        }

        if (first.GeneratedSources[0].SyntaxTree.GetDiagnostics().Any())
        {
            throw new InvalidOperationException("The generated Models class does not parse.");
        }

        driver = driver.RunGenerators(compilationEdited);
        var rerun = driver.GetRunResult().Results.Single();
        foreach (var step in PipelineSteps)
        {
            foreach (var output in rerun.TrackedSteps[step].SelectMany(r => r.Outputs))
            {
                if (output.Reason is not (IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged))
                {
                    throw new InvalidOperationException($"Step {step} was {output.Reason} after an unrelated C# edit: the re-run did YAML work.");
                }
            }
        }

        if (rerun.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(r => r.Outputs).Any(o => o.Reason != IncrementalStepRunReason.Cached)
            || rerun.GeneratedSources.Length != 1 || rerun.GeneratedSources[0].SourceText.ToString() != source)
        {
            throw new InvalidOperationException("The re-run after an unrelated C# edit did not reuse the generated source.");
        }

        // And the YAML edit does re-run the parse.
        driver = driver.ReplaceAdditionalText(original, edited).RunGenerators(compilationEdited);
        var afterYamlEdit = driver.GetRunResult().Results.Single();
        if (!afterYamlEdit.TrackedSteps[ModelsGenerator.Steps.Spec].SelectMany(r => r.Outputs).Any(o => o.Reason == IncrementalStepRunReason.Modified)
            || !afterYamlEdit.GeneratedSources[0].SourceText.ToString().Contains(GeneratorConfigs.EditedFirstModel, StringComparison.Ordinal))
        {
            throw new InvalidOperationException("The YAML edit did not re-run the parse.");
        }
    }

    private CSharpGeneratorDriver NewDriver(bool trackSteps) =>
        CSharpGeneratorDriver.Create(
            [generator],
            texts,
            ParseOptions,
            options,
            new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

    private sealed class BenchAdditionalText(string path, string text) : AdditionalText
    {
        private readonly SourceText source = SourceText.From(text);

        public override string Path { get; } = path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => source;
    }

    /// <summary>The MSBuild properties Kait.Sdk.props makes compiler-visible, and the <c>KaitConfig</c> mark on the config.</summary>
    private sealed class BenchOptionsProvider : AnalyzerConfigOptionsProvider
    {
        private static readonly BenchOptions None = new([]);
        private static readonly BenchOptions Marked = new(new Dictionary<string, string>(StringComparer.Ordinal) { ["build_metadata.AdditionalFiles.KaitConfig"] = "true" });

        public override AnalyzerConfigOptions GlobalOptions { get; } = new BenchOptions(new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["build_property.RootNamespace"] = "Bench",
            ["build_property.KaitConfigFile"] = "config/litellm_config.yaml",
            ["build_property.MSBuildProjectDirectory"] = "/bench",
        });

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => None;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => string.Equals(textFile.Path, ConfigPath, StringComparison.Ordinal) ? Marked : None;
    }

    private sealed class BenchOptions(Dictionary<string, string> values) : AnalyzerConfigOptions
    {
        public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value) => values.TryGetValue(key, out value);
    }
}
