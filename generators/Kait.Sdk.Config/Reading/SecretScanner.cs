using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;
using Kait.Sdk.Config.Yaml;

namespace Kait.Sdk.Config
{
    /// <summary>
    /// Walks the whole tree once: collects <c>os.environ/NAME</c> references (at any depth, in mappings, as LiteLLM
    /// resolves them), warns on literal secrets (KAIT004, never quoting the value) and on mistyped prefixes (KAIT007).
    /// </summary>
    internal static class SecretScanner
    {
        private static readonly Regex SecretKey = new Regex(
            @"^(api_key|master_key|.*_api_key|.*secret.*|.*password.*|.*_token|aws_access_key_id|.*access_key|salt_key|.*credentials?)$",
            RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

        private static readonly Regex MistypedPrefix = new Regex(
            @"^\s*os[._]?env[a-z]*\s*[/.:\\]\s*(?<name>[A-Za-z_][A-Za-z0-9_]*)\s*$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

        public static void Scan(YNode node, string path, List<EnvironmentReference> references, List<ConfigDiagnostic> diagnostics)
        {
            switch (node)
            {
                case YMapping map:
                    foreach (var entry in map.Entries)
                    {
                        var childPath = path.Length == 0 ? entry.Key.Value : path + "." + entry.Key.Value;
                        if (entry.Value is YScalar scalar)
                        {
                            CheckValue(entry.Key.Value, scalar, childPath, references, diagnostics);
                        }
                        else
                        {
                            Scan(entry.Value, childPath, references, diagnostics);
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
                            Scan(item, path + "[" + i + "]", references, diagnostics);
                        }
                    }

                    break;
            }
        }

        /// <summary>True when a key conventionally holds a secret (<c>api_key</c>, <c>master_key</c>, passwords...).</summary>
        public static bool IsSecretKey(string key) => SecretKey.IsMatch(key) && !key.EndsWith("_tokens", StringComparison.OrdinalIgnoreCase)
            && !key.EndsWith("_per_token", StringComparison.OrdinalIgnoreCase) // prices: input_cost_per_token...
            && !key.StartsWith("max_", StringComparison.OrdinalIgnoreCase);

        private static void CheckValue(string key, YScalar value, string path, List<EnvironmentReference> references, List<ConfigDiagnostic> diagnostics)
        {
            if (value.IsNull)
            {
                return;
            }

            if (EnvironmentReference.TryParse(value.Value, out var variable))
            {
                references.Add(new EnvironmentReference(variable, path, value.Span));
                return;
            }

            if (CheckMistyped(value, path, diagnostics))
            {
                return;
            }

            var text = value.Value.Trim();
            if (IsSecretKey(key) && text.Length > 0 && !string.Equals(text, "None", StringComparison.Ordinal)
                && !(value.IsPlain && (text == "true" || text == "false" || text == "True" || text == "False")))
            {
                diagnostics.Add(KaitDiagnostics.LiteralSecret.At(value.Span, path));
            }
        }

        private static bool CheckMistyped(YScalar value, string path, List<ConfigDiagnostic> diagnostics)
        {
            var match = MistypedPrefix.Match(value.Value);
            if (!match.Success || value.Value.StartsWith(EnvironmentReference.Prefix, StringComparison.Ordinal))
            {
                return false;
            }

            var name = match.Groups["name"].Value;
            var prefix = value.Value.Trim();
            prefix = prefix.Substring(0, prefix.Length - name.Length);
            diagnostics.Add(KaitDiagnostics.MistypedEnvironmentReference.At(value.Span, path, prefix, name));
            return true;
        }
    }
}
