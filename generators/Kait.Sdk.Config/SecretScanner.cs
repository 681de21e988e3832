using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.RegularExpressions;
using System.Threading;
using Kait.Sdk.Config.Yaml;

namespace Kait.Sdk.Config;

/// <summary>
/// Walks the whole tree once (the reader has made sure the walk, aliases expanded, fits its budget and holds no
/// cycle): collects <c>os.environ/NAME</c> references (at any depth, in mappings, as LiteLLM
/// resolves them), warns on literal secrets (KAIT004, never quoting the value) and on mistyped prefixes (KAIT007).
/// </summary>
internal static class SecretScanner
{
    private static readonly Regex SecretKey = new Regex(
        @"^(api_key|master_key|token|.*_api_key|.*secret.*|.*password.*|.*_token|aws_access_key_id|.*access_key|salt_key|.*credentials?)$",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

    private static readonly Regex MistypedPrefix = new Regex(
        @"^\s*os[._]?env[a-z]*\s*[/.:\\]\s*(?<name>[A-Za-z_][A-Za-z0-9_]*)\s*$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

    public static void Scan(YNode node, string path, List<EnvironmentReference> references, List<ConfigDiagnostic> diagnostics, CancellationToken cancellationToken) =>
        new Walk(references, diagnostics, cancellationToken).Visit(node, new PathFrame(null, path, null, 0));

    /// <summary>True when a key conventionally holds a secret (<c>api_key</c>, <c>master_key</c>, <c>token</c>,
    /// <c>access_token</c>, passwords...). LiteLLM's cost and limit fields never do, whatever their names end with
    /// (<c>input_cost_per_token</c>, <c>max_tokens</c>, <c>cache_read_input_token_cost</c>...).</summary>
    public static bool IsSecretKey(string key) => SecretKey.IsMatch(key) && !IsCostOrLimitKey(key);

    /// <summary>Prices (<c>*_cost*</c>, <c>*per_token*</c>, <c>*price*</c>) and limits (<c>max_*</c>, <c>min_*</c>,
    /// <c>*_tokens*</c>, <c>*limit*</c>): numbers LiteLLM reads, never credentials.</summary>
    private static bool IsCostOrLimitKey(string key) =>
        key.IndexOf("cost", StringComparison.OrdinalIgnoreCase) >= 0
        || key.IndexOf("price", StringComparison.OrdinalIgnoreCase) >= 0
        || key.IndexOf("per_token", StringComparison.OrdinalIgnoreCase) >= 0
        || key.IndexOf("_tokens", StringComparison.OrdinalIgnoreCase) >= 0
        || key.IndexOf("limit", StringComparison.OrdinalIgnoreCase) >= 0
        || key.StartsWith("max_", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith("min_", StringComparison.OrdinalIgnoreCase);

    /// <summary>A plain YAML number (<c>3</c>, <c>0.000421</c>, <c>1e-6</c>, <c>20_000</c>): numbers are never secrets.</summary>
    private static bool IsPlainNumber(YScalar value, string text)
    {
        if (!value.IsPlain)
        {
            return false;
        }

        var digits = 0;
        foreach (var c in text)
        {
            if (c >= '0' && c <= '9')
            {
                digits++;
            }
            else if (c != '+' && c != '-' && c != '.' && c != '_' && c != 'e' && c != 'E')
            {
                return false;
            }
        }

        return digits > 0 && double.TryParse(text.Replace("_", string.Empty), NumberStyles.Float, CultureInfo.InvariantCulture, out _);
    }

    /// <summary>One scan: the outputs, and each distinct key's verdict (a config repeats the same few keys thousands of times).</summary>
    private sealed class Walk
    {
        private readonly List<EnvironmentReference> references;
        private readonly List<ConfigDiagnostic> diagnostics;
        private readonly Dictionary<string, bool> secretKeys = new Dictionary<string, bool>(StringComparer.Ordinal);
        private readonly CancellationToken cancellationToken;
        private int visits;

        public Walk(List<EnvironmentReference> references, List<ConfigDiagnostic> diagnostics, CancellationToken cancellationToken)
        {
            this.references = references;
            this.diagnostics = diagnostics;
            this.cancellationToken = cancellationToken;
        }

        public void Visit(YNode node, PathFrame path)
        {
            if ((++visits & 1023) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            switch (node)
            {
                case YMapping map:
                    var entries = map.Entries;
                    for (var i = 0; i < entries.Count; i++)
                    {
                        var entry = entries[i];
                        if (entry.Value is YScalar scalar)
                        {
                            CheckValue(entry.Key.Value, scalar, path);
                        }
                        else
                        {
                            Visit(entry.Value, new PathFrame(path, null, entry.Key.Value, 0));
                        }
                    }

                    break;

                case YSequence seq:
                    for (var i = 0; i < seq.Items.Count; i++)
                    {
                        var item = seq.Items[i];
                        // Plain strings in lists are not resolved by LiteLLM, so they are neither references nor secrets here.
                        if (item is not YScalar)
                        {
                            Visit(item, new PathFrame(path, null, null, i));
                        }
                    }

                    break;
            }
        }

        private void CheckValue(string key, YScalar value, PathFrame parent)
        {
            if (value.IsNull)
            {
                return;
            }

            if (EnvironmentReference.TryParse(value.Value, out var variable))
            {
                references.Add(new EnvironmentReference(variable, PathFrame.Child(parent.Path, key), value.Span));
                return;
            }

            if (CheckMistyped(value, parent, key, diagnostics))
            {
                return;
            }

            var text = value.Value.Trim();
            if (IsSecretKeyCached(key) && text.Length > 0 && !string.Equals(text, "None", StringComparison.Ordinal)
                && !(value.IsPlain && (text == "true" || text == "false" || text == "True" || text == "False"))
                && !IsPlainNumber(value, text))
            {
                diagnostics.Add(KaitDiagnostics.LiteralSecret.At(value.Span, PathFrame.Child(parent.Path, key)));
            }
        }

        private bool IsSecretKeyCached(string key)
        {
            if (!secretKeys.TryGetValue(key, out var secret))
            {
                secretKeys[key] = secret = IsSecretKey(key);
            }

            return secret;
        }
    }

    /// <summary>Where the walk stands; the dotted path (<c>model_list[0].litellm_params</c>) is only built for a
    /// value that is reported, not for every node visited.</summary>
    private sealed class PathFrame
    {
        private readonly PathFrame? parent;
        private readonly string? key;
        private readonly int index;
        private string? path;

        public PathFrame(PathFrame? parent, string? path, string? key, int index)
        {
            this.parent = parent;
            this.path = path;
            this.key = key;
            this.index = index;
        }

        public string Path => path ??= key is not null
            ? Child(parent!.Path, key)
            : parent!.Path + "[" + index.ToString(CultureInfo.InvariantCulture) + "]";

        public static string Child(string path, string key) => path.Length == 0 ? key : path + "." + key;
    }

    private static bool CheckMistyped(YScalar value, PathFrame parent, string key, List<ConfigDiagnostic> diagnostics)
    {
        // The pattern needs "env" (any case): most values have none, and skip the regex.
        if (value.Value.IndexOf("env", StringComparison.OrdinalIgnoreCase) < 0)
        {
            return false;
        }

        var match = MistypedPrefix.Match(value.Value);
        if (!match.Success || value.Value.StartsWith(EnvironmentReference.Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var name = match.Groups["name"].Value;
        var prefix = value.Value.Trim();
        prefix = prefix.Substring(0, prefix.Length - name.Length);
        diagnostics.Add(KaitDiagnostics.MistypedEnvironmentReference.At(value.Span, PathFrame.Child(parent.Path, key), prefix, name));
        return true;
    }
}
