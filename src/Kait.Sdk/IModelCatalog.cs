using System.Diagnostics.CodeAnalysis;

namespace Kait.Sdk;

/// <summary>The aliases a process can call: the generated ones and those of a config read at run time.</summary>
public interface IModelCatalog
{
    /// <summary>Every alias, in config order.</summary>
    IReadOnlyList<ModelAlias> Aliases { get; }

    /// <summary>The wildcard groups.</summary>
    IReadOnlyList<ModelWildcard> Wildcards { get; }

    /// <summary>Finds an alias by name: an exact alias first, then the first wildcard group that matches.</summary>
    bool TryResolve([ModelAliasName] string name, [NotNullWhen(true)] out ModelAlias? modelAlias);

    /// <summary>Finds an alias by name, or throws <see cref="UnknownModelAliasException"/> listing the known aliases and the
    /// nearest one.</summary>
    ModelAlias Resolve([ModelAliasName] string name);
}
