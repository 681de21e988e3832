using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace Kait.Sdk.Generators.Tests;

/// <summary>A YAML AdditionalFile handed to the generator.</summary>
internal sealed record ConfigFile(string Path, string Text, bool Marked = true);

/// <summary>Runs <see cref="ModelsGenerator"/> the way the compiler does, with offline references.</summary>
internal static class GeneratorHarness
{
    public const string ProjectDirectory = "/project";

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
    {
        var tpa = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        return
        [
            .. tpa.Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "netstandard.dll" or "mscorlib.dll" or "Microsoft.Win32.Primitives.dll")
                .Select(p => MetadataReference.CreateFromFile(p)),
            MetadataReference.CreateFromFile(typeof(ModelAlias).Assembly.Location),
            MetadataReference.CreateFromFile(typeof(Kait.Sdk.Config.LiteLlmConfig).Assembly.Location),
        ];
    });

    public static CSharpCompilation Compilation(params string[] sources) =>
        CSharpCompilation.Create(
            "Consumer",
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Latest), path: $"/project/Source{i}.cs")),
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    public static GeneratorDriver Driver(IEnumerable<ConfigFile> files, IDictionary<string, string>? properties = null) => Driver(files, out _, properties);

    public static GeneratorDriver Driver(IEnumerable<ConfigFile> files, out ImmutableArray<AdditionalText> additionalTexts, IDictionary<string, string>? properties = null)
    {
        var props = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["build_property.RootNamespace"] = "Consumer",
            ["build_property.MSBuildProjectDirectory"] = ProjectDirectory,
        };
        foreach (var (k, v) in properties ?? new Dictionary<string, string>())
        {
            props["build_property." + k] = v;
        }

        var texts = files.Select(f => (AdditionalText)new InMemoryAdditionalText(f.Path, f.Text)).ToImmutableArray();
        additionalTexts = texts;
        var marked = files.Where(f => f.Marked).Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
        return CSharpGeneratorDriver.Create(
            [new ModelsGenerator().AsSourceGenerator()],
            texts,
            CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Latest),
            new OptionsProvider(props, marked),
            new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
    }

    public static GeneratorResult Run(IEnumerable<ConfigFile> files, IDictionary<string, string>? properties = null, params string[] sources)
    {
        var compilation = Compilation(sources);
        var driver = Driver(files, properties).RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        return new GeneratorResult(driver.GetRunResult(), output, generatorDiagnostics);
    }

    /// <summary>Runs the generator on one config file placed at <c>/project/config/litellm_config.yaml</c> (or its own name).</summary>
    public static GeneratorResult RunOn(string text, string path = "/project/config/litellm_config.yaml", params string[] sources) =>
        Run([new ConfigFile(path, text)], null, sources);

    internal sealed class InMemoryAdditionalText(string path, string text) : AdditionalText
    {
        private readonly SourceText source = SourceText.From(text);

        public override string Path { get; } = path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => source;
    }

    private sealed class OptionsProvider(Dictionary<string, string> global, HashSet<string> marked) : AnalyzerConfigOptionsProvider
    {
        public override AnalyzerConfigOptions GlobalOptions { get; } = new Options(global);

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => new Options([]);

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) =>
            new Options(marked.Contains(textFile.Path) ? new() { ["build_metadata.AdditionalFiles.KaitConfig"] = "true" } : []);
    }

    private sealed class Options(Dictionary<string, string> values) : AnalyzerConfigOptions
    {
        public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value) => values.TryGetValue(key, out value);
    }
}

internal sealed record GeneratorResult(GeneratorDriverRunResult RunResult, Compilation Output, ImmutableArray<Diagnostic> GeneratorDiagnostics)
{
    public string Source => RunResult.Results.Single().GeneratedSources.Single().SourceText.ToString();

    public IEnumerable<Diagnostic> Kait(string id) => GeneratorDiagnostics.Where(d => d.Id == id);

    public ImmutableArray<Diagnostic> CompileErrors => [.. Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error)];
}
