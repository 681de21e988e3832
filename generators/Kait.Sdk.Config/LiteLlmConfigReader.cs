using System;
using System.Collections.Generic;
using System.Threading;
using Kait.Sdk.Config.Yaml;

namespace Kait.Sdk.Config;

/// <summary>
/// Reads a LiteLLM proxy config with LiteLLM's own semantics: a repeated <c>model_name</c> is one load-balanced
/// group, <c>router_settings.model_group_alias</c> keys are aliases, names with <c>*</c> are wildcards, top-level
/// <c>include:</c> merges other files, duplicate keys keep the last value. Never throws on bad input: every problem
/// becomes a <see cref="ConfigDiagnostic"/> at its line. Hostile input ends in bounded time: each file is capped at
/// <see cref="MaxFileBytes"/> before it is parsed, one read (the file and its includes) visits at most 100,000 YAML
/// nodes with aliases expanded and nests at most 256 deep, else KAIT014 at the line where the limit ran out.
/// </summary>
internal static class LiteLlmConfigReader
{
    /// <summary>The largest config (or included) file read, in UTF-8 bytes: 1 MiB. Callers that read files check it
    /// before reading.</summary>
    public const int MaxFileBytes = ReadBudget.MaxFileBytes;

    private const int MaxIncludeDepth = 8;

    // What TryReadEntry hands back with false (immutable, so one will do).
    private static readonly DeploymentDefinition NoDeployment = new DeploymentDefinition();

    /// <summary>Reads <paramref name="text"/>, the content of <paramref name="file"/>.</summary>
    /// <param name="text">The YAML.</param>
    /// <param name="file">Its path, for diagnostics.</param>
    /// <param name="includes">Finds files named by <c>include:</c>; null means none can be found. Only names that stay
    /// in the including file's directory reach it (no absolute path, no <c>..</c> above it); an exception it throws
    /// (a refused or unreadable file) becomes KAIT015 at the include's line.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public static ConfigReadResult Read(string text, string file, IncludeResolver? includes = null, CancellationToken cancellationToken = default)
    {
        var diagnostics = new List<ConfigDiagnostic>();
        try
        {
            return ReadCore(text ?? string.Empty, file ?? string.Empty, includes, diagnostics, new ReadBudget(cancellationToken));
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (Exception ex)
        {
            // A reader bug must never take the build down; say what happened where it happened.
            diagnostics.Add(KaitDiagnostics.InvalidYaml.At(new SourceSpan(file ?? string.Empty, 1, 1, 0, 0), System.IO.Path.GetFileName(file ?? string.Empty), ex.GetType().Name + ": " + ex.Message));
            return new ConfigReadResult(LiteLlmConfig.Empty with { File = file ?? string.Empty }, diagnostics);
        }
    }

    private static ConfigReadResult ReadCore(string text, string file, IncludeResolver? includes, List<ConfigDiagnostic> diagnostics, ReadBudget budget)
    {
        var ct = budget.CancellationToken;
        var root = YamlTreeReader.Read(text, file, diagnostics, budget);
        var empty = LiteLlmConfig.Empty with { File = file };
        if (root is null || (root is YScalar s && s.IsNull))
        {
            diagnostics.Sort(CompareDiagnostics);
            return new ConfigReadResult(empty, diagnostics);
        }

        if (root is not YMapping map)
        {
            diagnostics.Add(KaitDiagnostics.WrongShape.At(root.Span, "The config must be a mapping with a model_list; found a " + Describe(root)));
            return new ConfigReadResult(empty, diagnostics);
        }

        var references = new List<EnvironmentReference>();
        SecretScanner.Scan(map, string.Empty, references, diagnostics, ct);

        // model_list entries of this file, then of each included file (LiteLLM extends the list in that order).
        var entries = new List<YNode>();
        CollectModelList(map, entries, diagnostics);
        var includeNames = new List<string>();
        var visited = new HashSet<string>(StringComparer.Ordinal) { file };
        ProcessIncludes(map, file, includes, entries, includeNames, references, visited, diagnostics, 0, budget);

        var groups = new List<KeyValuePair<AliasDefinition, List<DeploymentDefinition>>>();
        var wildcards = new List<KeyValuePair<WildcardDefinition, List<DeploymentDefinition>>>();
        var byName = new Dictionary<string, int>(StringComparer.Ordinal);
        var wildcardByName = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < entries.Count; i++)
        {
            ct.ThrowIfCancellationRequested();
            if (!TryReadEntry(entries[i], i, diagnostics, out var name, out var nameSpan, out var deployment))
            {
                continue;
            }

            if (name.IndexOf('*') >= 0)
            {
                if (!wildcardByName.TryGetValue(name, out var w))
                {
                    wildcardByName[name] = w = wildcards.Count;
                    wildcards.Add(new KeyValuePair<WildcardDefinition, List<DeploymentDefinition>>(
                        new WildcardDefinition { Pattern = name, Location = nameSpan }, []));
                }

                wildcards[w].Value.Add(deployment);
                continue;
            }

            if (!byName.TryGetValue(name, out var g))
            {
                byName[name] = g = groups.Count;
                groups.Add(new KeyValuePair<AliasDefinition, List<DeploymentDefinition>>(
                    new AliasDefinition { Name = name, Location = nameSpan }, []));
            }

            groups[g].Value.Add(deployment);
        }

        var aliases = new List<AliasDefinition>();
        foreach (var group in groups)
        {
            aliases.Add(group.Key with { Deployments = group.Value.ToArray() });
        }

        ReadGroupAliases(map, aliases, byName, diagnostics);

        var wildcardList = new List<WildcardDefinition>();
        foreach (var w in wildcards)
        {
            wildcardList.Add(w.Key with { Deployments = w.Value.ToArray() });
        }

        var config = new LiteLlmConfig
        {
            File = file,
            Aliases = aliases.ToArray(),
            Wildcards = wildcardList.ToArray(),
            Includes = includeNames.ToArray(),
            EnvironmentReferences = references.ToArray(),
            Settings = ReadSettings(map),
        };
        diagnostics.Sort(CompareDiagnostics);
        return new ConfigReadResult(config, diagnostics);
    }

    private static int CompareDiagnostics(ConfigDiagnostic a, ConfigDiagnostic b)
    {
        var byFile = string.CompareOrdinal(a.Location.File, b.Location.File);
        if (byFile != 0)
        {
            return byFile;
        }

        var byLine = a.Location.Line.CompareTo(b.Location.Line);
        return byLine != 0 ? byLine : a.Location.Column.CompareTo(b.Location.Column);
    }

    private static void CollectModelList(YMapping map, List<YNode> entries, List<ConfigDiagnostic> diagnostics)
    {
        var list = map.Get("model_list");
        if (list is null || (list is YScalar s && s.IsNull))
        {
            return;
        }

        if (list is YSequence seq)
        {
            entries.AddRange(seq.Items);
            return;
        }

        diagnostics.Add(KaitDiagnostics.WrongShape.At(list.Span, "model_list must be a list of entries (- model_name: ...); found a " + Describe(list)));
    }

    private static void ProcessIncludes(
        YMapping map, string file, IncludeResolver? resolver, List<YNode> entries, List<string> names, List<EnvironmentReference> references,
        HashSet<string> visited, List<ConfigDiagnostic> diagnostics, int depth, ReadBudget budget)
    {
        var node = map.Get("include");
        if (node is null)
        {
            return;
        }

        var items = new List<YNode>();
        if (node is YSequence seq)
        {
            items.AddRange(seq.Items);
        }
        else if (node is YScalar single && !single.IsNull)
        {
            items.Add(single);
        }
        else if (node is not YScalar)
        {
            diagnostics.Add(KaitDiagnostics.WrongShape.At(node.Span, "include must be a list of file names"));
            return;
        }

        foreach (var item in items)
        {
            budget.CancellationToken.ThrowIfCancellationRequested();
            var name = ScalarValues.Text(item);
            if (name is null)
            {
                diagnostics.Add(KaitDiagnostics.WrongShape.At(item.Span, "include must be a list of file names"));
                continue;
            }

            names.Add(name);
            var refused = RefuseIncludeName(name);
            if (refused is not null)
            {
                diagnostics.Add(KaitDiagnostics.RefusedFile.At(item.Span, name, refused));
                continue;
            }

            IncludedConfigFile? included;
            try
            {
                included = resolver?.Invoke(name, file);
            }
            catch (OperationCanceledException)
            {
                throw;
            }
            catch (Exception ex)
            {
                // The resolver refused the file (a device, a link out of the directory, too large) or could not read it.
                diagnostics.Add(KaitDiagnostics.RefusedFile.At(item.Span, name, ex.Message));
                continue;
            }

            if (included is null)
            {
                diagnostics.Add(KaitDiagnostics.MissingInclude.At(item.Span, name));
                continue;
            }

            if (!visited.Add(included.Path) || depth >= MaxIncludeDepth)
            {
                diagnostics.Add(KaitDiagnostics.WrongShape.At(item.Span, "include of '" + name + "' forms a cycle (or nests deeper than " + MaxIncludeDepth + " files)"));
                continue;
            }

            var root = YamlTreeReader.Read(included.Text ?? string.Empty, included.Path, diagnostics, budget);
            if (root is YMapping includedMap)
            {
                SecretScanner.Scan(includedMap, string.Empty, references, diagnostics, budget.CancellationToken);
                CollectModelList(includedMap, entries, diagnostics);
                ProcessIncludes(includedMap, included.Path, resolver, entries, names, references, visited, diagnostics, depth + 1, budget);
                foreach (var entry in includedMap.Entries)
                {
                    if (entry.Key.Value != "model_list" && entry.Key.Value != "include" && !map.ContainsKey(entry.Key.Value))
                    {
                        map.Set(entry.Key, entry.Value);
                    }
                }
            }
            else if (root is not null && !(root is YScalar s && s.IsNull))
            {
                diagnostics.Add(KaitDiagnostics.WrongShape.At(root.Span, "The included file must be a mapping; found a " + Describe(root)));
            }
        }
    }

    /// <summary>Why an include name is refused before any resolver sees it, or null: it must name a file in the
    /// including file's directory or below it, as visible text.</summary>
    private static string? RefuseIncludeName(string name)
    {
        var unsafeAt = UnsafeText.IndexOfUnsafe(name);
        if (unsafeAt >= 0)
        {
            return "the name holds " + UnsafeText.CodePoint(name[unsafeAt]);
        }

        if (name.Length > 0 && (name[0] == '/' || name[0] == '\\'
            || (name.Length > 1 && name[1] == ':' && ((name[0] >= 'A' && name[0] <= 'Z') || (name[0] >= 'a' && name[0] <= 'z')))))
        {
            return "an absolute path; an include must name a file in the config's directory or below it";
        }

        var depth = 0;
        foreach (var segment in name.Split('/', '\\'))
        {
            if (segment.Length == 0 || segment == ".")
            {
                continue;
            }

            depth += segment == ".." ? -1 : 1;
            if (depth < 0)
            {
                return "it leaves the config's directory ('..'); an include must name a file in that directory or below it";
            }
        }

        return null;
    }

    private static bool TryReadEntry(YNode node, int index, List<ConfigDiagnostic> diagnostics, out string name, out SourceSpan nameSpan, out DeploymentDefinition deployment)
    {
        name = string.Empty;
        nameSpan = node.Span;
        deployment = NoDeployment;
        if (node is not YMapping entry)
        {
            diagnostics.Add(KaitDiagnostics.IncompleteEntry.At(node.Span, "model_list[" + index + "] must be a mapping with model_name and litellm_params; found a " + Describe(node)));
            return false;
        }

        var nameText = ScalarValues.Text(entry.Get("model_name"))?.Trim();
        if (string.IsNullOrEmpty(nameText))
        {
            diagnostics.Add(KaitDiagnostics.IncompleteEntry.At(entry.Span, "model_list[" + index + "] has no model_name"));
            return false;
        }

        name = nameText!;
        nameSpan = entry.Span;
        if (IsUnsafe("model_name", name, entry.Get("model_name")!, diagnostics))
        {
            return false;
        }

        var paramsNode = entry.Get("litellm_params") as YMapping;
        var model = ScalarValues.Text(paramsNode?.Get("model"))?.Trim();
        if (string.IsNullOrEmpty(model))
        {
            var what = paramsNode is null ? "no litellm_params" : "no litellm_params.model";
            diagnostics.Add(KaitDiagnostics.IncompleteEntry.At(entry.Span, "model_list[" + index + "] ('" + name + "') has " + what + "; LiteLLM cannot route it"));
            return false;
        }

        var apiBase = ScalarValues.Text(paramsNode!.Get("api_base"))?.Trim();
        if (IsUnsafe("litellm_params.model", model!, paramsNode.Get("model")!, diagnostics)
            || (apiBase is not null && IsUnsafe("litellm_params.api_base", apiBase, paramsNode.Get("api_base")!, diagnostics)))
        {
            return false;
        }

        var info = entry.Get("model_info") as YMapping;
        var (provider, providerModel) = ProviderInference.Infer(model!);
        var apiKey = ScalarValues.Text(paramsNode!.Get("api_key"));
        string? keyVariable = null;
        var literalKey = apiKey is not null && !EnvironmentReference.TryParse(apiKey, out keyVariable);
        deployment = new DeploymentDefinition
        {
            Model = model!,
            Provider = provider,
            ProviderModel = providerModel,
            ApiBase = apiBase,
            ApiVersion = ScalarValues.Text(paramsNode.Get("api_version"))?.Trim(),
            ApiKeyVariable = literalKey ? null : keyVariable,
            HasLiteralApiKey = literalKey,
            Rpm = ScalarValues.Int(paramsNode.Get("rpm")) ?? ScalarValues.Int(entry.Get("rpm")),
            Tpm = ScalarValues.Int(paramsNode.Get("tpm")) ?? ScalarValues.Int(entry.Get("tpm")),
            Mode = ScalarValues.Text(info?.Get("mode")),
            Id = ScalarValues.Text(info?.Get("id")),
            BaseModel = ScalarValues.Text(info?.Get("base_model")),
            InputCostPerToken = Price(info, paramsNode, "input_cost_per_token"),
            OutputCostPerToken = Price(info, paramsNode, "output_cost_per_token"),
            CacheReadInputTokenCost = Price(info, paramsNode, "cache_read_input_token_cost"),
            CacheCreationInputTokenCost = Price(info, paramsNode, "cache_creation_input_token_cost"),
            SupportsResponseSchema = ScalarValues.Bool(info?.Get("supports_response_schema")),
            SupportsNativeStructuredOutput = ScalarValues.Bool(info?.Get("supports_native_structured_output")),
            SupportsReasoning = ScalarValues.Bool(info?.Get("supports_reasoning")),
            SupportsPromptCaching = ScalarValues.Bool(info?.Get("supports_prompt_caching")),
            Location = entry.Span,
        };
        return true;
    }

    /// <summary>True (with KAIT016 at <paramref name="node"/>) when <paramref name="value"/> holds a control, line-breaking
    /// or bidi character: such a name would print as something else in a terminal, a review or generated code.</summary>
    private static bool IsUnsafe(string what, string value, YNode node, List<ConfigDiagnostic> diagnostics)
    {
        var at = UnsafeText.IndexOfUnsafe(value);
        if (at < 0)
        {
            return false;
        }

        diagnostics.Add(KaitDiagnostics.UnsafeName.At(node.Span, what, value, UnsafeText.CodePoint(value[at])));
        return true;
    }

    private static decimal? Price(YMapping? info, YMapping litellmParams, string key) =>
        ScalarValues.Decimal(info?.Get(key)) ?? ScalarValues.Decimal(litellmParams.Get(key));

    private static void ReadGroupAliases(YMapping map, List<AliasDefinition> aliases, Dictionary<string, int> byName, List<ConfigDiagnostic> diagnostics)
    {
        if (map.Get("router_settings") is not YMapping router || router.Get("model_group_alias") is not YNode node)
        {
            return;
        }

        if (node is YScalar s && s.IsNull)
        {
            return;
        }

        if (node is not YMapping groupAliases)
        {
            diagnostics.Add(KaitDiagnostics.WrongShape.At(node.Span, "router_settings.model_group_alias must map alias names to model groups"));
            return;
        }

        var groups = new List<AliasDefinition>(aliases);
        foreach (var entry in groupAliases.Entries)
        {
            var alias = entry.Key.Value.Trim();
            string? target;
            var hidden = false;
            if (entry.Value is YMapping detail)
            {
                target = ScalarValues.Text(detail.Get("model"))?.Trim();
                hidden = ScalarValues.Bool(detail.Get("hidden")) ?? false;
            }
            else
            {
                target = ScalarValues.Text(entry.Value)?.Trim();
            }

            if (alias.Length == 0 || string.IsNullOrEmpty(target))
            {
                diagnostics.Add(KaitDiagnostics.WrongShape.At(entry.Key.Span, "model_group_alias '" + alias + "' names no model group"));
                continue;
            }

            if (IsUnsafe("model_group_alias", alias, entry.Key, diagnostics) || IsUnsafe("model_group_alias target", target!, entry.Value, diagnostics))
            {
                continue;
            }

            if (byName.ContainsKey(alias))
            {
                continue;
            }

            IReadOnlyList<DeploymentDefinition> deployments = System.Array.Empty<DeploymentDefinition>();
            if (byName.TryGetValue(target!, out var index))
            {
                deployments = groups[index].Deployments;
            }
            else
            {
                var nearest = AliasMatcher.Nearest(target!, Names(groups));
                diagnostics.Add(KaitDiagnostics.UnknownGroupAliasTarget.At(entry.Value.Span, alias, target!, nearest is null ? string.Empty : ". Did you mean '" + nearest + "'?"));
            }

            byName[alias] = aliases.Count;
            aliases.Add(new AliasDefinition { Name = alias, GroupAliasTarget = target, Hidden = hidden, Deployments = deployments, Location = entry.Key.Span });
        }
    }

    private static IEnumerable<string> Names(List<AliasDefinition> aliases)
    {
        foreach (var a in aliases)
        {
            yield return a.Name;
        }
    }

    private static LiteLlmSettings ReadSettings(YMapping map)
    {
        var litellm = map.Get("litellm_settings") as YMapping;
        var router = map.Get("router_settings") as YMapping;
        var general = map.Get("general_settings") as YMapping;
        var cacheParams = litellm?.Get("cache_params") as YMapping;
        var hasMasterKeyVariable = EnvironmentReference.TryParse(ScalarValues.Text(general?.Get("master_key")), out var masterKeyVariable);
        return new LiteLlmSettings
        {
            NumRetries = ScalarValues.Int(litellm?.Get("num_retries")) ?? ScalarValues.Int(router?.Get("num_retries")),
            CacheEnabled = ScalarValues.Bool(litellm?.Get("cache")) ?? false,
            CacheType = ScalarValues.Text(cacheParams?.Get("type")),
            CacheTtlSeconds = ScalarValues.Double(cacheParams?.Get("ttl")),
            RequestTimeoutSeconds = ScalarValues.Double(litellm?.Get("request_timeout")) ?? ScalarValues.Double(router?.Get("timeout")),
            MasterKeyVariable = hasMasterKeyVariable ? masterKeyVariable : null,
        };
    }

    private static string Describe(YNode node) => node switch
    {
        YSequence => "list",
        YMapping => "mapping",
        YScalar s when s.IsNull => "empty value",
        _ => "plain value",
    };
}
