using System;
using System.Collections.Generic;
using System.Threading;
using Kait.Sdk.Config;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Kait.Sdk.Generators.Analyzers;

/// <summary>The aliases of the project's config, read from the same AdditionalFile the generator reads.</summary>
internal sealed class KnownAliases
{
    private readonly Dictionary<string, string?> identifiers;
    private readonly List<string> wildcards;

    private KnownAliases(Dictionary<string, string?> identifiers, List<string> wildcards, string ns)
    {
        this.identifiers = identifiers;
        this.wildcards = wildcards;
        Namespace = ns;
    }

    /// <summary>The namespace of the generated <c>Models</c>.</summary>
    public string Namespace { get; }

    /// <summary>The aliases of the project, or null when there is no usable config (then nothing is reported:
    /// KAIT001/KAIT006/KAIT011/KAIT014 already say why).</summary>
    public static KnownAliases? Load(AnalyzerOptions options, CancellationToken ct)
    {
        var provider = options.AnalyzerConfigOptionsProvider;
        var generatorOptions = ModelsGenerator.ReadOptions(provider.GlobalOptions);
        var yaml = new List<AdditionalText>();
        foreach (var file in options.AdditionalFiles)
        {
            if (ConfigSelection.IsYaml(file.Path))
            {
                yaml.Add(file);
            }
        }

        var candidates = ConfigSelection.Candidates(
            yaml,
            f => f.Path,
            f => provider.GetOptions(f).TryGetValue("build_metadata.AdditionalFiles.KaitConfig", out var marked) && string.Equals(marked, "true", StringComparison.OrdinalIgnoreCase),
            generatorOptions.ConfigFile);
        if (candidates.Count == 0)
        {
            return null;
        }

        var config = candidates[0];
        var text = ConfigSelection.ReadCapped(config, ct);
        if (text is null)
        {
            return null;
        }

        IncludedConfigFile? Resolve(string name, string including)
        {
            var found = ConfigSelection.FindInclude(yaml, f => f.Path, name, including);
            var includedText = found is null ? null : ConfigSelection.ReadCapped(found, ct);
            return found is null || includedText is null ? null : new IncludedConfigFile(found.Path, includedText);
        }

        var result = LiteLlmConfigReader.Read(text, config.Path, Resolve, ct);
        foreach (var d in result.Diagnostics)
        {
            if (d.Id == KaitDiagnosticIds.InvalidYaml || d.Id == KaitDiagnosticIds.WrongShape || d.Id == KaitDiagnosticIds.TooComplex)
            {
                return null;
            }
        }

        var names = new List<string>();
        foreach (var alias in result.Config.Aliases)
        {
            names.Add(alias.Name);
        }

        var map = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var assigned in AliasIdentifiers.Assign(names))
        {
            map[assigned.Alias] = assigned.Identifier;
        }

        var patterns = new List<string>();
        foreach (var w in result.Config.Wildcards)
        {
            patterns.Add(w.Pattern);
        }

        return new KnownAliases(map, patterns, generatorOptions.Namespace);
    }

    /// <summary>True when <paramref name="name"/> is an alias of the config.</summary>
    public bool IsAlias(string name) => identifiers.ContainsKey(name);

    /// <summary>The generated member of an alias, or null when it has none.</summary>
    public string? IdentifierOf(string name) => identifiers.TryGetValue(name, out var id) ? id : null;

    /// <summary>True when a wildcard group of the config matches (a bare <c>"*"</c> matches everything).</summary>
    public bool MatchesWildcard(string name)
    {
        foreach (var pattern in wildcards)
        {
            if (WildcardPattern.IsMatch(pattern, name))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The nearest alias for "did you mean".</summary>
    public string? Nearest(string name) => AliasMatcher.Nearest(name, identifiers.Keys);
}
