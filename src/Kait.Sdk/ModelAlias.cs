namespace Kait.Sdk;

/// <summary>
/// A model alias from the LiteLLM config (<c>claude-fast</c>): the name a call uses and the deployments behind it.
/// Generated members such as <c>Models.ClaudeFast</c> are of this type; it converts implicitly to its name.
/// Two aliases are equal when their names are (ordinal).
/// </summary>
public sealed class ModelAlias : IEquatable<ModelAlias>
{
    /// <summary>Creates an alias.</summary>
    /// <param name="name">The alias as written in the config.</param>
    /// <param name="deployments">The deployments behind it, in file order.</param>
    /// <param name="groupAliasTarget">For a <c>model_group_alias</c>: the group it points at.</param>
    /// <param name="source">Where it was defined (<c>config/litellm_config.yaml:12</c>), for messages.</param>
    public ModelAlias(string name, IReadOnlyList<ModelDeployment> deployments, string? groupAliasTarget = null, string? source = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(deployments);
        Name = name;
        Deployments = deployments;
        GroupAliasTarget = groupAliasTarget;
        Source = source;
    }

    /// <summary>The alias exactly as written.</summary>
    public string Name { get; }

    /// <summary>The deployments behind the alias (several: a load-balanced group).</summary>
    public IReadOnlyList<ModelDeployment> Deployments { get; }

    /// <summary>For a <c>router_settings.model_group_alias</c> key: the group it points at; else null.</summary>
    public string? GroupAliasTarget { get; }

    /// <summary>Where the alias was defined, for messages; null when unknown.</summary>
    public string? Source { get; }

    /// <summary>The member the generator gives the alias in <c>Models</c> (<c>claude-fast</c> → <c>ClaudeFast</c>).</summary>
    public string MemberName => Config.AliasIdentifiers.ToIdentifier(Name);

    /// <summary>The name.</summary>
    /// <param name="alias">The alias.</param>
    public static implicit operator string(ModelAlias alias)
    {
        ArgumentNullException.ThrowIfNull(alias);
        return alias.Name;
    }

    /// <summary>Equality by name.</summary>
    public static bool operator ==(ModelAlias? left, ModelAlias? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Inequality by name.</summary>
    public static bool operator !=(ModelAlias? left, ModelAlias? right) => !(left == right);

    /// <inheritdoc />
    public bool Equals(ModelAlias? other) => other is not null && string.Equals(Name, other.Name, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is ModelAlias other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Name);

    /// <summary>The alias's name.</summary>
    public override string ToString() => Name;
}
