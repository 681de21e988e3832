using Kait.Sdk.Config;

namespace Kait.Sdk;

/// <summary>A wildcard group of the config (<c>"*"</c>, <c>anthropic/*</c>): any name it matches is callable.</summary>
public sealed class ModelWildcard
{
    /// <summary>Creates a wildcard group.</summary>
    /// <param name="pattern">The pattern; <c>*</c> matches any run of characters.</param>
    /// <param name="deployments">Its deployments; a <c>*</c> in their model takes the matched text.</param>
    public ModelWildcard(string pattern, IReadOnlyList<ModelDeployment> deployments)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pattern);
        ArgumentNullException.ThrowIfNull(deployments);
        Pattern = pattern;
        Deployments = deployments;
    }

    /// <summary>The pattern as written.</summary>
    public string Pattern { get; }

    /// <summary>The deployments behind it.</summary>
    public IReadOnlyList<ModelDeployment> Deployments { get; }

    /// <summary>True when <paramref name="name"/> matches the pattern.</summary>
    public bool Matches(string name) => WildcardPattern.IsMatch(Pattern, name);

    /// <summary>The concrete alias for a name this pattern matches: each deployment's <c>*</c> becomes the matched text
    /// (<c>anthropic/*</c> called as <c>anthropic/claude-3-haiku</c> goes to <c>anthropic/claude-3-haiku</c>).</summary>
    public ModelAlias Resolve(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var star = Pattern.IndexOf('*', StringComparison.Ordinal);
        var prefixLength = star < 0 ? 0 : star;
        var suffixLength = star < 0 ? 0 : Pattern.Length - star - 1;
        var matched = name.Length >= prefixLength + suffixLength ? name[prefixLength..(name.Length - suffixLength)] : name;
        var deployments = new ModelDeployment[Deployments.Count];
        for (var i = 0; i < deployments.Length; i++)
        {
            var d = Deployments[i];
            if (d.Model.Contains('*', StringComparison.Ordinal))
            {
                var model = d.Model.Replace("*", matched, StringComparison.Ordinal);
                var (provider, providerModel) = ProviderInference.Infer(model);
                d = d with { Model = model, Provider = provider ?? d.Provider, ProviderModel = providerModel };
            }

            deployments[i] = d;
        }

        return new ModelAlias(name, deployments, source: "wildcard '" + Pattern + "'");
    }
}
