using System.Globalization;
using System.Text;

namespace Kait.Sdk.Proxy;

/// <summary>
/// <c>kait config pull</c>: the proxy's model list (<c>/model/info</c>) as a LiteLLM-format config that the source
/// generator reads like any other, for teams whose config lives on a shared proxy. Only each deployment's group name
/// and upstream model are written: whatever else the proxy returns (<c>api_key</c>, <c>api_base</c>, other
/// <c>litellm_params</c>) is never read (<see cref="LiteLlmProxyClient.GetModelInfoAsync"/> keeps only those two).
/// </summary>
internal static class ProxyConfigPull
{
    /// <summary>The longest name or model accepted from the proxy.</summary>
    public const int MaxNameLength = 256;

    /// <summary>The most deployments accepted.</summary>
    public const int MaxDeployments = 10_000;

    /// <summary>The proxy's deployments, checked, in its order.</summary>
    public static async Task<IReadOnlyList<(string Name, string Model)>> PullAsync(LiteLlmProxyClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var info = await client.GetModelInfoAsync(cancellationToken).ConfigureAwait(false);
        if (info.Count > MaxDeployments)
        {
            throw new ProviderUnavailableException(FormattableString.Invariant($"The LiteLLM proxy listed {info.Count} deployments in /model/info; Kait reads at most {MaxDeployments}."));
        }

        var deployments = new List<(string, string)>(info.Count);
        for (var i = 0; i < info.Count; i++)
        {
            var name = Checked(info[i].ModelName, i, "model_name");
            // A proxy that does not say the upstream model (e.g. for a key that may not see it) is still a route.
            var model = info[i].Model is { Length: > 0 } m ? Checked(m, i, "litellm_params.model") : "litellm_proxy/" + name;
            deployments.Add((name, model));
        }

        return deployments;
    }

    /// <summary>The config text: one <c>model_list</c> entry per deployment, every value double-quoted.</summary>
    public static string Render(IReadOnlyList<(string Name, string Model)> deployments)
    {
        ArgumentNullException.ThrowIfNull(deployments);
        var text = new StringBuilder()
            .Append("# Pulled from the LiteLLM proxy's /model/info by 'kait config pull': model names and upstream models only,\n")
            .Append("# never keys. Regenerate with 'kait config pull --out <this file>'; CI checks it with 'kait config pull --check <this file>'.\n")
            .Append("model_list:");
        if (deployments.Count == 0)
        {
            return text.Append(" []\n").ToString();
        }

        text.Append('\n');
        foreach (var (name, model) in deployments)
        {
            text.Append("  - model_name: ").Append(Quote(name)).Append('\n')
                .Append("    litellm_params:\n")
                .Append("      model: ").Append(Quote(model)).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>The aliases the proxy has and the file has not, and the reverse, each sorted.</summary>
    public static (IReadOnlyList<string> Added, IReadOnlyList<string> Removed) Compare(IEnumerable<string> proxy, IEnumerable<string> file)
    {
        var onProxy = new SortedSet<string>(proxy, StringComparer.Ordinal);
        var inFile = new SortedSet<string>(file, StringComparer.Ordinal);
        return ([.. onProxy.Except(inFile)], [.. inFile.Except(onProxy)]);
    }

    private static string Checked(string value, int index, string field)
    {
        if (value.Length == 0 || value.Length > MaxNameLength || value.Any(c => char.IsControl(c) || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Surrogate))
        {
            throw new ProviderUnavailableException(
                FormattableString.Invariant($"The LiteLLM proxy's /model/info entry {index} has a {field} that is empty, longer than {MaxNameLength} characters, or holds control or invisible characters; no config was written."));
        }

        if (value.StartsWith(EnvironmentPrefix, StringComparison.OrdinalIgnoreCase))
        {
            // LiteLLM replaces such a value by the environment variable's: a proxy started on the file would take a key
            // as the model name (into its logs and error replies).
            throw new ProviderUnavailableException(
                FormattableString.Invariant($"The LiteLLM proxy's /model/info entry {index} has a {field} that is an {EnvironmentPrefix} reference (a secret, once LiteLLM reads it); no config was written."));
        }

        return value;
    }

    private const string EnvironmentPrefix = "os.environ/";

    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
