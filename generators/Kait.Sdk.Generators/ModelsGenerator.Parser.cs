using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Threading;
using Kait.Sdk.Config;
using Microsoft.CodeAnalysis.Text;

namespace Kait.Sdk.Generators;

public sealed partial class ModelsGenerator
{
    /// <summary>YAML files + options → <see cref="ModelsSpec"/>. Never throws (a failure becomes KAIT013).</summary>
    internal static class Parser
    {
        public static ModelsSpec Parse(ImmutableArray<YamlFile> files, GeneratorOptions options, CancellationToken ct)
        {
            var diagnostics = new List<DiagnosticInfo>();
            var texts = new Dictionary<string, SourceText>(StringComparer.Ordinal);
            var config = SelectConfig(files, options, diagnostics);
            if (config is null)
            {
                diagnostics.Add(ToInfo(KaitDiagnostics.NoConfig.At(default, options.ConfigFile ?? "config/litellm_config.yaml"), texts, files));
                return Empty(options, diagnostics);
            }

            try
            {
                IncludedConfigFile? Resolve(string name, string including)
                {
                    var found = ConfigSelection.FindInclude(files, f => f.Path, name, including);
                    return found is null ? null : new IncludedConfigFile(found.Path, found.Text);
                }

                var result = LiteLlmConfigReader.Read(config.Text, config.Path, Resolve, ct);
                foreach (var d in result.Diagnostics)
                {
                    diagnostics.Add(ToInfo(d, texts, files));
                }

                var display = ConfigSelection.DisplayPath(config.Path, options.ProjectDirectory);
                var aliases = BuildAliases(result.Config, options, display, diagnostics, texts, files);
                var wildcards = new List<WildcardSpec>();
                foreach (var w in result.Config.Wildcards)
                {
                    wildcards.Add(new WildcardSpec(w.Pattern, Deployments(w.Deployments)));
                }

                return new ModelsSpec(options.Namespace, options.IsPublic, display, new EquatableArray<AliasSpec>(aliases), new EquatableArray<WildcardSpec>(wildcards), new EquatableArray<DiagnosticInfo>(diagnostics));
            }
            catch (OperationCanceledException)
            {
                throw;
            }
            catch (Exception ex)
            {
                diagnostics.Add(ToInfo(KaitDiagnostics.GeneratorFailure.At(default, config.Path, ex.GetType().Name + ": " + ex.Message), texts, files));
                return Empty(options, diagnostics);
            }
        }

        private static ModelsSpec Empty(GeneratorOptions options, List<DiagnosticInfo> diagnostics) =>
            new ModelsSpec(options.Namespace, options.IsPublic, null, new EquatableArray<AliasSpec>(Array.Empty<AliasSpec>()), new EquatableArray<WildcardSpec>(Array.Empty<WildcardSpec>()), new EquatableArray<DiagnosticInfo>(diagnostics));

        private static YamlFile? SelectConfig(ImmutableArray<YamlFile> files, GeneratorOptions options, List<DiagnosticInfo> diagnostics)
        {
            var candidates = ConfigSelection.Candidates(files, f => f.Path, f => f.IsMarkedConfig, options.ConfigFile);
            if (candidates.Count == 0)
            {
                return null;
            }

            if (candidates.Count > 1)
            {
                var names = new List<string>();
                foreach (var c in candidates)
                {
                    names.Add(ConfigSelection.DisplayPath(c.Path, options.ProjectDirectory));
                }

                diagnostics.Add(new DiagnosticInfo(KaitDiagnosticIds.SeveralConfigs, ConfigSeverity.Warning, KaitDiagnostics.SeveralConfigs.At(default, string.Join(", ", names), names[0]).Message, null, 0, 0, 0, 0, 0, 0));
            }

            return candidates[0];
        }

        private static List<AliasSpec> BuildAliases(LiteLlmConfig config, GeneratorOptions options, string display, List<DiagnosticInfo> diagnostics, Dictionary<string, SourceText> texts, ImmutableArray<YamlFile> files)
        {
            var aliases = new List<AliasSpec>();
            var names = new List<string>();
            foreach (var alias in config.Aliases)
            {
                names.Add(alias.Name);
            }

            var identifiers = AliasIdentifiers.Assign(names);
            for (var i = 0; i < config.Aliases.Count; i++)
            {
                var alias = config.Aliases[i];
                var assigned = identifiers[i];
                if (assigned.TakenBy is not null)
                {
                    diagnostics.Add(ToInfo(KaitDiagnostics.IdentifierClash.At(alias.Location, assigned.TakenBy, alias.Name, assigned.ClashingIdentifier!), texts, files));
                }
                else if (assigned.Identifier is null)
                {
                    diagnostics.Add(ToInfo(KaitDiagnostics.NoIdentifier.At(alias.Location, alias.Name), texts, files));
                }

                var source = string.Equals(alias.Location.File, config.File, StringComparison.Ordinal) ? display : ConfigSelection.DisplayPath(alias.Location.File, options.ProjectDirectory);
                aliases.Add(new AliasSpec(alias.Name, assigned.Identifier, alias.GroupAliasTarget, source, alias.Location.Line, Deployments(alias.Deployments)));
            }

            return aliases;
        }

        private static EquatableArray<DeploymentSpec> Deployments(IReadOnlyList<DeploymentDefinition> deployments)
        {
            var specs = new DeploymentSpec[deployments.Count];
            for (var i = 0; i < specs.Length; i++)
            {
                var d = deployments[i];
                specs[i] = new DeploymentSpec(d.Model, d.Provider, d.ProviderModel, d.ApiBase, d.ApiVersion, d.ApiKeyVariable, d.Rpm, d.Tpm, d.Mode, d.Id, d.BaseModel,
                    d.InputCostPerToken, d.OutputCostPerToken, d.CacheReadInputTokenCost, d.CacheCreationInputTokenCost,
                    d.SupportsResponseSchema, d.SupportsNativeStructuredOutput, d.SupportsReasoning, d.SupportsPromptCaching);
            }

            return new EquatableArray<DeploymentSpec>(specs);
        }

        private static DiagnosticInfo ToInfo(ConfigDiagnostic d, Dictionary<string, SourceText> texts, ImmutableArray<YamlFile> files)
        {
            var loc = d.Location;
            if (loc.Line <= 0 || loc.File.Length == 0)
            {
                return new DiagnosticInfo(d.Id, d.Severity, d.Message, null, 0, 0, 0, 0, 0, 0);
            }

            // Start from YamlDotNet's line and column; the end comes from the text, clamped to the start's line.
            var start = Math.Max(0, loc.Start);
            var length = loc.Length;
            var endLine = loc.Line;
            var endColumn = loc.Column;
            var text = TextOf(loc.File, texts, files);
            if (text is not null && loc.Line - 1 < text.Lines.Count)
            {
                var line = text.Lines[loc.Line - 1];
                start = Math.Min(line.Start + loc.Column - 1, line.End);
                length = Math.Max(0, Math.Min(length, line.End - start));
                endColumn = loc.Column + length;
            }

            return new DiagnosticInfo(d.Id, d.Severity, d.Message, loc.File, start, length, loc.Line, loc.Column, endLine, endColumn);
        }

        private static SourceText? TextOf(string path, Dictionary<string, SourceText> texts, ImmutableArray<YamlFile> files)
        {
            if (texts.TryGetValue(path, out var cached))
            {
                return cached;
            }

            foreach (var file in files)
            {
                if (string.Equals(file.Path, path, StringComparison.Ordinal))
                {
                    var text = SourceText.From(file.Text);
                    texts[path] = text;
                    return text;
                }
            }

            return null;
        }
    }
}
