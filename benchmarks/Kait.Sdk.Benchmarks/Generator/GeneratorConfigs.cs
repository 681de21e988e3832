using System.Globalization;
using System.Text;

namespace Kait.Sdk.Benchmarks.Generator;

/// <summary>
/// Deterministic LiteLLM configs of a given number of aliases, shaped like real ones: <c>anthropic/</c>, <c>openai/</c>,
/// <c>azure/</c> (<c>api_base</c>, <c>api_version</c>), <c>gemini/</c> (with <c>model_info</c>), <c>ollama/</c>
/// deployments; <c>os.environ/</c> keys on most of them (never a literal key); every fifth model group load-balanced
/// over two deployments (a repeated <c>model_name</c>); a tenth of the aliases in
/// <c>router_settings.model_group_alias</c>; comments and the usual settings sections.
/// </summary>
internal static class GeneratorConfigs
{
    /// <summary>The model string of the first deployment, which <see cref="Build"/>'s <c>edited</c> variant changes.</summary>
    public const string FirstModel = "anthropic/claude-sonnet-4-20250514";

    /// <summary>The first model after the edit.</summary>
    public const string EditedFirstModel = "anthropic/claude-sonnet-4-5-20250929";

    private static readonly string[] Families = ["claude-sonnet", "claude-haiku", "gpt-4o", "gpt-4o-mini", "azure-gpt-4o", "gemini-flash", "llama", "o3"];

    /// <summary>A config whose generated <c>Models</c> class has exactly <paramref name="aliases"/> aliases.</summary>
    /// <param name="aliases">Model groups plus group aliases (a tenth of them, rounded down).</param>
    /// <param name="edited">Changes the first deployment's model (a value edit: the same aliases).</param>
    public static string Build(int aliases, bool edited = false)
    {
        var groupAliases = aliases / 10;
        var groups = aliases - groupAliases;
        var names = new string[groups];
        var yaml = new StringBuilder(capacity: aliases * 220);
        yaml.Append("# Benchmark config: ").Append(aliases.ToString(CultureInfo.InvariantCulture)).Append(" aliases (generated).\n");
        yaml.Append("# Keys are never written here: os.environ/NAME names the variable that holds them.\n");
        yaml.Append("model_list:\n");
        for (var i = 0; i < groups; i++)
        {
            var family = Families[i % Families.Length];
            var name = names[i] = string.Create(CultureInfo.InvariantCulture, $"{family}-{i:D4}");
            Entry(yaml, name, i % Families.Length, i, region: 0, edited && i == 0);
            if (i % 5 == 4)
            {
                // A load-balanced group: the same model_name again, another region or key.
                Entry(yaml, name, i % Families.Length, i, region: 1, edited: false);
            }
        }

        yaml.Append("\nlitellm_settings:\n  num_retries: 2\n  request_timeout: 600\n  cache: true\n  cache_params:\n    type: local\n    ttl: 300\n");
        yaml.Append("\nrouter_settings:\n  routing_strategy: simple-shuffle\n  num_retries: 2\n");
        if (groupAliases > 0)
        {
            yaml.Append("  model_group_alias:\n");
            for (var j = 0; j < groupAliases; j++)
            {
                var target = names[(j * 7) % groups];
                var alias = string.Create(CultureInfo.InvariantCulture, $"{Families[j % Families.Length]}-latest-{j:D4}");
                if (j % 4 == 3)
                {
                    yaml.Append("    ").Append(alias).Append(":\n      model: ").Append(target).Append("\n      hidden: true\n");
                }
                else
                {
                    yaml.Append("    ").Append(alias).Append(": ").Append(target).Append('\n');
                }
            }
        }

        yaml.Append("\ngeneral_settings:\n  master_key: os.environ/LITELLM_MASTER_KEY\n");
        return yaml.ToString();
    }

    private static void Entry(StringBuilder yaml, string name, int kind, int i, int region, bool edited)
    {
        yaml.Append("  - model_name: ").Append(name).Append("\n    litellm_params:\n");
        switch (kind)
        {
            case 0:
                yaml.Append("      model: ").Append(edited ? EditedFirstModel : FirstModel).Append('\n');
                yaml.Append("      api_key: os.environ/ANTHROPIC_API_KEY").Append(region == 0 ? "\n" : "_2\n");
                break;
            case 1:
                yaml.Append("      model: anthropic/claude-haiku-4-5-20251001\n      api_key: os.environ/ANTHROPIC_API_KEY\n");
                break;
            case 2:
                yaml.Append("      model: openai/gpt-4o\n      api_key: os.environ/OPENAI_API_KEY\n      rpm: 500\n      tpm: 200000\n");
                break;
            case 3:
                // No api_key: LiteLLM falls back to OPENAI_API_KEY itself.
                yaml.Append("      model: openai/gpt-4o-mini\n");
                break;
            case 4:
                yaml.Append(CultureInfo.InvariantCulture, $"      model: azure/gpt-4o-deployment-{i}\n");
                yaml.Append(CultureInfo.InvariantCulture, $"      api_base: https://kait-{(i + region) % 3}.openai.azure.com\n");
                yaml.Append("      api_version: \"2024-10-21\"\n      api_key: os.environ/AZURE_API_KEY\n");
                break;
            case 5:
                yaml.Append("      model: gemini/gemini-2.0-flash\n      api_key: os.environ/GOOGLE_API_KEY\n");
                yaml.Append("    model_info:\n      mode: chat\n      base_model: gemini-2.0-flash-001\n");
                break;
            case 6:
                yaml.Append("      model: ollama/llama3.1\n      api_base: http://localhost:11434\n");
                break;
            default:
                yaml.Append("      model: openai/o3\n      api_key: os.environ/OPENAI_API_KEY\n");
                yaml.Append(CultureInfo.InvariantCulture, $"    model_info:\n      id: o3-{i}-{region}\n");
                break;
        }
    }
}
