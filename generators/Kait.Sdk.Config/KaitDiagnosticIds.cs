namespace Kait.Sdk.Config;

/// <summary>The stable KAIT ids as constants (Roslyn wants constant ids). KAIT0xx: generator; KAIT1xx: analyzers.</summary>
internal static class KaitDiagnosticIds
{
    /// <summary>The YAML does not parse.</summary>
    public const string InvalidYaml = "KAIT001";

    /// <summary>A model_list entry lacks model_name or litellm_params.model.</summary>
    public const string IncompleteEntry = "KAIT002";

    /// <summary>Two aliases map to one identifier.</summary>
    public const string IdentifierClash = "KAIT003";

    /// <summary>A literal secret in the config.</summary>
    public const string LiteralSecret = "KAIT004";

    /// <summary>A duplicate mapping key.</summary>
    public const string DuplicateKey = "KAIT005";

    /// <summary>No config file.</summary>
    public const string NoConfig = "KAIT006";

    /// <summary>A mistyped os.environ/ reference.</summary>
    public const string MistypedEnvironmentReference = "KAIT007";

    /// <summary>A model_group_alias pointing at an unknown group.</summary>
    public const string UnknownGroupAliasTarget = "KAIT008";

    /// <summary>An included file is missing.</summary>
    public const string MissingInclude = "KAIT009";

    /// <summary>An alias with no letters or digits.</summary>
    public const string NoIdentifier = "KAIT010";

    /// <summary>A section of the wrong shape.</summary>
    public const string WrongShape = "KAIT011";

    /// <summary>Several candidate config files.</summary>
    public const string SeveralConfigs = "KAIT012";

    /// <summary>The generator itself failed (a bug; reported, never thrown).</summary>
    public const string GeneratorFailure = "KAIT013";

    /// <summary>The config is too large or too complex to read (size, node budget, nesting, a recursive alias).</summary>
    public const string TooComplex = "KAIT014";

    /// <summary>A config file (or an include) is refused: a path outside the config's directory, a device or pipe, too big.</summary>
    public const string RefusedFile = "KAIT015";

    /// <summary>A name holds a control, line-breaking or bidi character.</summary>
    public const string UnsafeName = "KAIT016";

    /// <summary>An unknown alias string (analyzer).</summary>
    public const string UnknownAlias = "KAIT100";

    /// <summary>A known alias written as a string (analyzer).</summary>
    public const string UseTypedAlias = "KAIT101";
}
