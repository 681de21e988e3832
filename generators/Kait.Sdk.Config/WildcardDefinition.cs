using System.Collections.Generic;

namespace Kait.Sdk.Config;

/// <summary>A wildcard group such as <c>"*"</c> or <c>anthropic/*</c>: any name it matches is callable.</summary>
internal sealed record WildcardDefinition
{
    /// <summary>The pattern as written.</summary>
    public string Pattern { get; init; } = string.Empty;

    /// <summary>The deployments behind it.</summary>
    public IReadOnlyList<DeploymentDefinition> Deployments { get; init; } = System.Array.Empty<DeploymentDefinition>();

    /// <summary>Where it is first named.</summary>
    public SourceSpan Location { get; init; }
}
