using System;
using System.Collections.Immutable;
using Kait.Sdk.Config;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Kait.Sdk.Generators;

/// <summary>
/// litellm_config.yaml → <c>Models.g.cs</c>. The pipeline reads AdditionalFiles only: an edit to a .cs file leaves
/// every step cached, so no YAML is read again.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed partial class ModelsGenerator : IIncrementalGenerator
{
    /// <summary>Tracking names of the pipeline steps (for caching tests).</summary>
    public static class Steps
    {
        /// <summary>The MSBuild options.</summary>
        public const string Options = "KaitOptions";

        /// <summary>Each YAML AdditionalFile read into text.</summary>
        public const string YamlFiles = "KaitYamlFiles";

        /// <summary>The parsed, equatable alias model.</summary>
        public const string Spec = "KaitModelsSpec";
    }

    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var options = context.AnalyzerConfigOptionsProvider
            .Select(static (provider, _) => ReadOptions(provider.GlobalOptions))
            .WithTrackingName(Steps.Options);

        var files = context.AdditionalTextsProvider
            .Where(static text => ConfigSelection.IsYaml(text.Path))
            .Combine(context.AnalyzerConfigOptionsProvider)
            .Select(static (pair, ct) => new YamlFile(
                pair.Left.Path,
                ConfigSelection.ReadCapped(pair.Left, ct) ?? string.Empty,
                pair.Right.GetOptions(pair.Left).TryGetValue("build_metadata.AdditionalFiles.KaitConfig", out var marked)
                    && string.Equals(marked, "true", StringComparison.OrdinalIgnoreCase)))
            .WithTrackingName(Steps.YamlFiles);

        var spec = files.Collect()
            .Combine(options)
            .Select(static (pair, ct) => Parser.Parse(pair.Left, pair.Right, ct))
            .WithTrackingName(Steps.Spec);

        context.RegisterSourceOutput(spec, static (ctx, model) => Emit(ctx, model));
    }

    private static void Emit(SourceProductionContext context, ModelsSpec model)
    {
        foreach (var diagnostic in model.Diagnostics)
        {
            context.ReportDiagnostic(diagnostic.ToDiagnostic());
        }

        string source;
        try
        {
            source = Emitter.Emit(model);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.GeneratorFailure, Location.None, KaitDiagnostics.GeneratorFailure.At(default, model.ConfigFile ?? "(none)", ex.GetType().Name + ": " + ex.Message).Message));
            source = Emitter.Emit(model with { Aliases = new EquatableArray<AliasSpec>(Array.Empty<AliasSpec>()), Wildcards = new EquatableArray<WildcardSpec>(Array.Empty<WildcardSpec>()) });
        }

        context.AddSource("Models.g.cs", source);
    }

    internal static GeneratorOptions ReadOptions(AnalyzerConfigOptions options)
    {
        static string? Get(AnalyzerConfigOptions o, string name) =>
            o.TryGetValue("build_property." + name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

        var ns = Get(options, "KaitModelsNamespace") ?? Get(options, "RootNamespace") ?? "Kait.Generated";
        var isPublic = string.Equals(Get(options, "KaitModelsVisibility"), "public", StringComparison.OrdinalIgnoreCase);
        return new GeneratorOptions(SanitizeNamespace(ns), isPublic, Get(options, "KaitConfigFile"), Get(options, "MSBuildProjectDirectory"));
    }

    private static string SanitizeNamespace(string ns)
    {
        var parts = ns.Split('.');
        var builder = ImmutableArray.CreateBuilder<string>(parts.Length);
        foreach (var part in parts)
        {
            var chars = part.ToCharArray();
            for (var i = 0; i < chars.Length; i++)
            {
                if (!(char.IsLetterOrDigit(chars[i]) || chars[i] == '_'))
                {
                    chars[i] = '_';
                }
            }

            var segment = new string(chars);
            if (segment.Length == 0)
            {
                continue;
            }

            if (char.IsDigit(segment[0]))
            {
                segment = "_" + segment;
            }
            else if (Microsoft.CodeAnalysis.CSharp.SyntaxFacts.GetKeywordKind(segment) != Microsoft.CodeAnalysis.CSharp.SyntaxKind.None)
            {
                segment = "@" + segment;
            }

            builder.Add(segment);
        }

        return builder.Count == 0 ? "Kait.Generated" : string.Join(".", builder);
    }
}
