using System.Collections.Generic;

namespace Kait.Sdk.Config;

/// <summary>A model group callable by name: a distinct <c>model_name</c>, or a <c>router_settings.model_group_alias</c> key.</summary>
internal sealed record AliasDefinition
{
    /// <summary>The alias exactly as written.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>The deployments behind it, in file order (several: a load-balanced group).</summary>
    public IReadOnlyList<DeploymentDefinition> Deployments { get; init; } = System.Array.Empty<DeploymentDefinition>();

    /// <summary>For a <c>model_group_alias</c> key: the group it points at; else null.</summary>
    public string? GroupAliasTarget { get; init; }

    /// <summary>For a <c>model_group_alias</c> with <c>hidden: true</c>: LiteLLM keeps it out of <c>/v1/models</c>.</summary>
    public bool Hidden { get; init; }

    /// <summary>Where the alias is first named.</summary>
    public SourceSpan Location { get; init; }
}
