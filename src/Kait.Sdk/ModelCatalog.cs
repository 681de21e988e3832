using System.Collections.Frozen;
using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using Kait.Sdk.Config;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kait.Sdk;

/// <summary>
/// The alias catalogue. Generated <c>Models</c> classes register their aliases at module load
/// (<see cref="RegisterGenerated"/>); a catalogue instance merges those with a config read at run time, and the run-time
/// config wins. A name registered twice is logged.
/// </summary>
public sealed partial class ModelCatalog : IModelCatalog
{
    private static readonly Lock RegistrationLock = new();
    private static Registration[] registrations = [];

    private readonly FrozenDictionary<string, ModelAlias> byName;

    /// <summary>A catalogue of the generated registrations only.</summary>
    public ModelCatalog()
        : this(null, null)
    {
    }

    /// <summary>A catalogue of the generated registrations merged with <paramref name="runtimeConfig"/> (which wins).</summary>
    /// <param name="runtimeConfig">A config read at run time, or null.</param>
    /// <param name="logger">Logs names registered twice.</param>
    internal ModelCatalog(LiteLlmConfig? runtimeConfig, ILogger<ModelCatalog>? logger = null)
    {
        logger ??= NullLogger<ModelCatalog>.Instance;
        var aliases = new List<ModelAlias>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var wildcards = new List<ModelWildcard>();
        var sources = new Dictionary<string, string>(StringComparer.Ordinal);

        void Add(ModelAlias alias, string source)
        {
            if (index.TryGetValue(alias.Name, out var at))
            {
                // The same config read twice (generated at build time and found again at run time) is no conflict.
                if (!SameDefinition(aliases[at], alias))
                {
                    LogDuplicate(logger, alias.Name, sources[alias.Name], source);
                }

                aliases[at] = alias;
            }
            else
            {
                index[alias.Name] = aliases.Count;
                aliases.Add(alias);
            }

            sources[alias.Name] = source;
        }

        foreach (var registration in Volatile.Read(ref registrations))
        {
            foreach (var alias in registration.Aliases)
            {
                Add(alias, registration.Source);
            }

            wildcards.AddRange(registration.Wildcards);
        }

        if (runtimeConfig is not null)
        {
            var converted = FromConfig(runtimeConfig);
            foreach (var alias in converted.Aliases)
            {
                Add(alias, runtimeConfig.File);
            }

            // Run-time wildcards first: the run-time config wins.
            wildcards.InsertRange(0, converted.Wildcards);
        }

        Aliases = aliases.AsReadOnly();
        Wildcards = wildcards.AsReadOnly();
        byName = aliases.ToFrozenDictionary(a => a.Name, StringComparer.Ordinal);
    }

    /// <inheritdoc />
    public IReadOnlyList<ModelAlias> Aliases { get; }

    /// <inheritdoc />
    public IReadOnlyList<ModelWildcard> Wildcards { get; }

    /// <summary>Called by generated code at module load; not for direct use.</summary>
    /// <param name="aliases">The generated <c>Models.All</c>.</param>
    /// <param name="wildcards">The generated <c>Models.Wildcards</c>.</param>
    /// <param name="source">The config file the code was generated from.</param>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static void RegisterGenerated(IReadOnlyList<ModelAlias> aliases, IReadOnlyList<ModelWildcard> wildcards, string source)
    {
        ArgumentNullException.ThrowIfNull(aliases);
        ArgumentNullException.ThrowIfNull(wildcards);
        lock (RegistrationLock)
        {
            registrations = [.. registrations, new Registration(aliases, wildcards, source ?? string.Empty)];
        }
    }

    /// <summary>Converts a config read with <see cref="LiteLlmConfigReader"/> into aliases and wildcards.</summary>
    internal static (IReadOnlyList<ModelAlias> Aliases, IReadOnlyList<ModelWildcard> Wildcards) FromConfig(LiteLlmConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var aliases = config.Aliases
            .Select(a => new ModelAlias(a.Name, a.Deployments.Select(ToDeployment).ToArray(), a.GroupAliasTarget, $"{a.Location.File}:{a.Location.Line}"))
            .ToArray();
        var wildcards = config.Wildcards.Select(w => new ModelWildcard(w.Pattern, w.Deployments.Select(ToDeployment).ToArray())).ToArray();
        return (aliases, wildcards);
    }

    /// <inheritdoc />
    public bool TryResolve([ModelAliasName] string name, [NotNullWhen(true)] out ModelAlias? modelAlias)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (byName.TryGetValue(name, out modelAlias))
        {
            return true;
        }

        foreach (var wildcard in Wildcards)
        {
            if (wildcard.Matches(name))
            {
                modelAlias = wildcard.Resolve(name);
                return true;
            }
        }

        modelAlias = null;
        return false;
    }

    /// <inheritdoc />
    public ModelAlias Resolve([ModelAliasName] string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (TryResolve(name, out var alias))
        {
            return alias;
        }

        var names = Aliases.Select(a => a.Name).ToArray();
        throw new UnknownModelAliasException(name, AliasMatcher.Nearest(name, names), names);
    }

    private static bool SameDefinition(ModelAlias a, ModelAlias b) =>
        string.Equals(a.GroupAliasTarget, b.GroupAliasTarget, StringComparison.Ordinal) && a.Deployments.SequenceEqual(b.Deployments);

    private static ModelDeployment ToDeployment(DeploymentDefinition d) => new(d.Model)
    {
        Provider = d.Provider,
        ProviderModel = d.ProviderModel,
        ApiBase = d.ApiBase,
        ApiVersion = d.ApiVersion,
        ApiKeyVariable = d.ApiKeyVariable,
        Rpm = d.Rpm,
        Tpm = d.Tpm,
        Mode = d.Mode,
        Id = d.Id,
        BaseModel = d.BaseModel,
        InputCostPerToken = d.InputCostPerToken,
        OutputCostPerToken = d.OutputCostPerToken,
        CacheReadInputTokenCost = d.CacheReadInputTokenCost,
        CacheCreationInputTokenCost = d.CacheCreationInputTokenCost,
        SupportsResponseSchema = d.SupportsResponseSchema,
        SupportsNativeStructuredOutput = d.SupportsNativeStructuredOutput,
        SupportsReasoning = d.SupportsReasoning,
        SupportsPromptCaching = d.SupportsPromptCaching,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Model alias '{Alias}' is registered twice ({First} and {Second}); the later one is used")]
    private static partial void LogDuplicate(ILogger logger, string alias, string first, string second);

    private sealed record Registration(IReadOnlyList<ModelAlias> Aliases, IReadOnlyList<ModelWildcard> Wildcards, string Source);
}
