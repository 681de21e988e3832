using System.Collections.Generic;

namespace Kait.Sdk.Config;

/// <summary>One KAIT diagnostic kind: the stable id, title, message format and default severity.</summary>
/// <param name="Id">Stable id; KAIT0xx belong to the generator, KAIT1xx to analyzers.</param>
/// <param name="Title">Short title.</param>
/// <param name="MessageFormat">The message, with <c>{0}</c>... placeholders.</param>
/// <param name="Severity">Default severity.</param>
internal sealed record KaitDiagnosticKind(string Id, string Title, string MessageFormat, ConfigSeverity Severity)
{
    /// <summary>Makes a diagnostic of this kind.</summary>
    /// <remarks>Text arguments come from the config: a control, line-breaking or bidi character in them is written as
    /// <c>\uXXXX</c>, so the message shows it instead of obeying it in a terminal, a build log or an IDE.</remarks>
    public ConfigDiagnostic At(SourceSpan location, params object[] args)
    {
        var visible = new object[args.Length];
        for (var i = 0; i < args.Length; i++)
        {
            visible[i] = args[i] is string text ? UnsafeText.Visible(text) : args[i];
        }

        return new ConfigDiagnostic(Id, Severity, string.Format(System.Globalization.CultureInfo.InvariantCulture, MessageFormat, visible), location);
    }
}

/// <summary>Every KAIT diagnostic, declared once: the build (generator, analyzers) and <c>kait doctor</c> use the same words.</summary>
internal static class KaitDiagnostics
{
    /// <summary>The category reported to Roslyn.</summary>
    public const string Category = "Kait.Sdk";

    /// <summary>KAIT001: the YAML does not parse.</summary>
    public static readonly KaitDiagnosticKind InvalidYaml = new KaitDiagnosticKind(
        KaitDiagnosticIds.InvalidYaml, "The LiteLLM config is not valid YAML", "'{0}' is not valid YAML: {1}", ConfigSeverity.Error);

    /// <summary>KAIT002: a <c>model_list</c> entry lacks <c>model_name</c> or <c>litellm_params.model</c>.</summary>
    public static readonly KaitDiagnosticKind IncompleteEntry = new KaitDiagnosticKind(
        KaitDiagnosticIds.IncompleteEntry, "A model_list entry is incomplete", "{0}", ConfigSeverity.Error);

    /// <summary>KAIT003: two aliases map to one C# identifier.</summary>
    public static readonly KaitDiagnosticKind IdentifierClash = new KaitDiagnosticKind(
        KaitDiagnosticIds.IdentifierClash, "Two aliases map to one identifier",
        "Aliases '{0}' and '{1}' both map to the identifier '{2}'; rename one of them (only '{0}' gets a member)", ConfigSeverity.Error);

    /// <summary>KAIT004: a literal secret in the config.</summary>
    public static readonly KaitDiagnosticKind LiteralSecret = new KaitDiagnosticKind(
        KaitDiagnosticIds.LiteralSecret, "A literal API key in the config",
        "'{0}' holds a literal secret; use os.environ/NAME so the key stays out of the file", ConfigSeverity.Warning);

    /// <summary>KAIT005: a mapping key appears twice.</summary>
    public static readonly KaitDiagnosticKind DuplicateKey = new KaitDiagnosticKind(
        KaitDiagnosticIds.DuplicateKey, "Duplicate mapping key",
        "Duplicate key '{0}' (first at line {1}); LiteLLM keeps the last value, and so does Kait", ConfigSeverity.Warning);

    /// <summary>KAIT006: no config file was found.</summary>
    public static readonly KaitDiagnosticKind NoConfig = new KaitDiagnosticKind(
        KaitDiagnosticIds.NoConfig, "No LiteLLM config",
        "No LiteLLM config found ({0}); Models.All is empty. Add config/litellm_config.yaml or set KaitConfigFile", ConfigSeverity.Info);

    /// <summary>KAIT007: an <c>os.environ/</c> prefix that is mistyped, so LiteLLM will take the text literally.</summary>
    public static readonly KaitDiagnosticKind MistypedEnvironmentReference = new KaitDiagnosticKind(
        KaitDiagnosticIds.MistypedEnvironmentReference, "Mistyped os.environ/ reference",
        "'{0}' looks like a mistyped os.environ/ reference ('{1}'); LiteLLM will use the text literally. Did you mean 'os.environ/{2}'?",
        ConfigSeverity.Warning);

    /// <summary>KAIT008: a <c>model_group_alias</c> points at a group the config does not define.</summary>
    public static readonly KaitDiagnosticKind UnknownGroupAliasTarget = new KaitDiagnosticKind(
        KaitDiagnosticIds.UnknownGroupAliasTarget, "model_group_alias points at an unknown group",
        "model_group_alias '{0}' points at '{1}', which no model_list entry defines{2}", ConfigSeverity.Warning);

    /// <summary>KAIT009: an included file is missing.</summary>
    public static readonly KaitDiagnosticKind MissingInclude = new KaitDiagnosticKind(
        KaitDiagnosticIds.MissingInclude, "Included config file not found",
        "Included file '{0}' was not found; add it as an AdditionalFile (or next to the config) so its models are read", ConfigSeverity.Error);

    /// <summary>KAIT010: an alias has no letters or digits, so it gets no member.</summary>
    public static readonly KaitDiagnosticKind NoIdentifier = new KaitDiagnosticKind(
        KaitDiagnosticIds.NoIdentifier, "An alias cannot be named in C#",
        "Alias '{0}' has no letters or digits, so it gets no member in Models; it stays callable by its string", ConfigSeverity.Warning);

    /// <summary>KAIT011: a section has the wrong shape (e.g. <c>model_list</c> is not a list).</summary>
    public static readonly KaitDiagnosticKind WrongShape = new KaitDiagnosticKind(
        KaitDiagnosticIds.WrongShape, "A config section has the wrong shape", "{0}", ConfigSeverity.Error);

    /// <summary>KAIT012: more than one file claims to be the config.</summary>
    public static readonly KaitDiagnosticKind SeveralConfigs = new KaitDiagnosticKind(
        KaitDiagnosticIds.SeveralConfigs, "Several LiteLLM configs",
        "Several files are named like a LiteLLM config ({0}); using '{1}'. Set KaitConfigFile to choose", ConfigSeverity.Warning);

    /// <summary>KAIT013: the generator itself failed; reported instead of crashing the build.</summary>
    public static readonly KaitDiagnosticKind GeneratorFailure = new KaitDiagnosticKind(
        KaitDiagnosticIds.GeneratorFailure, "The Kait generator failed",
        "The Kait generator failed on '{0}' ({1}); please report this with the config", ConfigSeverity.Warning);

    /// <summary>KAIT014: the config is too large or too complex (an alias bomb, deep nesting, a recursive alias); reading
    /// stops at the line where the limit ran out.</summary>
    public static readonly KaitDiagnosticKind TooComplex = new KaitDiagnosticKind(
        KaitDiagnosticIds.TooComplex, "The config is too large or too complex",
        "'{0}' {1}; Kait stops reading it here", ConfigSeverity.Error);

    /// <summary>KAIT015: a config file or an include is refused (outside the config's directory, not a regular file,
    /// too large, unreadable).</summary>
    public static readonly KaitDiagnosticKind RefusedFile = new KaitDiagnosticKind(
        KaitDiagnosticIds.RefusedFile, "A config file is refused",
        "'{0}' is refused: {1}", ConfigSeverity.Error);

    /// <summary>KAIT016: a name holds a control, line-breaking or bidi character; the entry is skipped.</summary>
    public static readonly KaitDiagnosticKind UnsafeName = new KaitDiagnosticKind(
        KaitDiagnosticIds.UnsafeName, "A name holds an invisible or line-breaking character",
        "{0} '{1}' holds {2}; names must be visible text on one line, so it is skipped", ConfigSeverity.Error);

    /// <summary>KAIT100 (analyzer): a string that is not an alias of the config.</summary>
    public static readonly KaitDiagnosticKind UnknownAlias = new KaitDiagnosticKind(
        KaitDiagnosticIds.UnknownAlias, "Unknown model alias", "Unknown model alias '{0}'.{1}", ConfigSeverity.Error);

    /// <summary>KAIT101 (analyzer): a known alias written as a string.</summary>
    public static readonly KaitDiagnosticKind UseTypedAlias = new KaitDiagnosticKind(
        KaitDiagnosticIds.UseTypedAlias, "Use the typed alias", "Use Models.{0} instead of the string '{1}'", ConfigSeverity.Info);

    /// <summary>All kinds, by id.</summary>
    public static IReadOnlyList<KaitDiagnosticKind> All { get; } = new[]
    {
        InvalidYaml, IncompleteEntry, IdentifierClash, LiteralSecret, DuplicateKey, NoConfig,
        MistypedEnvironmentReference, UnknownGroupAliasTarget, MissingInclude, NoIdentifier, WrongShape, SeveralConfigs, GeneratorFailure,
        TooComplex, RefusedFile, UnsafeName,
        UnknownAlias, UseTypedAlias,
    };
}
