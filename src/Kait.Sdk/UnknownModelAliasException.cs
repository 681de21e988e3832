namespace Kait.Sdk;

/// <summary>A call named an alias that the catalogue does not know.</summary>
public sealed class UnknownModelAliasException : KaitException
{
    /// <summary>Creates the exception.</summary>
    public UnknownModelAliasException()
        : this(string.Empty, null, [])
    {
    }

    /// <summary>Creates the exception.</summary>
    public UnknownModelAliasException(string message)
        : base(message)
    {
        Alias = string.Empty;
        KnownAliases = [];
    }

    /// <summary>Creates the exception.</summary>
    public UnknownModelAliasException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Alias = string.Empty;
        KnownAliases = [];
    }

    /// <summary>Creates the exception for <paramref name="alias"/>.</summary>
    /// <param name="alias">The unknown alias.</param>
    /// <param name="suggestion">The nearest known alias, if one is close.</param>
    /// <param name="knownAliases">Every known alias.</param>
    public UnknownModelAliasException(string alias, string? suggestion, IReadOnlyList<string> knownAliases)
        : base(Describe(alias, suggestion, knownAliases))
    {
        Alias = alias;
        Suggestion = suggestion;
        KnownAliases = knownAliases;
    }

    /// <summary>The alias that was asked for.</summary>
    public string Alias { get; }

    /// <summary>The nearest known alias, or null.</summary>
    public string? Suggestion { get; }

    /// <summary>Every alias the catalogue knows.</summary>
    public IReadOnlyList<string> KnownAliases { get; }

    private static string Describe(string alias, string? suggestion, IReadOnlyList<string> known)
    {
        var text = $"Unknown model alias '{alias}'.";
        if (suggestion is not null)
        {
            text += $" Did you mean '{suggestion}'?";
        }

        text += known.Count == 0
            ? " No aliases are configured (is config/litellm_config.yaml present?)."
            : " Known aliases: " + string.Join(", ", known) + ".";
        return text;
    }
}
